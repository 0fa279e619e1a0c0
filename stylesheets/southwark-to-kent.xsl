<?xml version="1.0" encoding="UTF-8"?>
<!--
  southwark-to-kent.xsl: a PEP on Southwark's form (sections 1-4,
  schemas/southwark.xsd) to the canonical (Kent, sections A-D) format
  (schemas/pep.xsd). Seed 001 §9 the other way round: a PEP written on
  Southwark's form, needed on Kent's.

  XSLT 1.0 with two EXSLT functions (exsl:node-set, which xsltproc and every
  XSLT 1.0 processor in use provide, and crypto:sha1, which libexslt has when
  built with libgcrypt, as Debian's, Ubuntu's and Fedora's are; only for a
  form with a carried block), no document(): it reads nothing but its
  input. pep convert applies it after validating the input against
  southwark.xsd, and validates the result against pep.xsd before writing it.
  Plain xsltproc gives the same bytes; the usage element below says how to run
  it.

  What kent-to-southwark.xsl carried at the end of the form (the carried block)
  is put back where it was (mode restore) while what it belongs to on the form
  is unchanged (template verdicts): a value whose place is gone, where the
  form now says something else, or whose owner (a target's description, the
  meeting's date) has changed is not, and the workflow history and quality
  assurance are not when anything on the form has changed, since they
  certified the PEP as it was. The report lists each, with why and what to
  do. Nothing the block says is ever used as a name unless it is one pep
  could have written. pep reads a
  PEP on Southwark's form for every command through this stylesheet, after
  giving each element in memory an attribute l:line with its line, which the
  templates copy to the element they make from it, so that messages point at
  the form's lines; a file never has it.

  The result names the LA that looks after the child (the form's lookedAfterBy,
  southwark for Southwark's own children), so `pep validate` checks it with
  that LA's rules. The canonical kind of PEP comes from the form (no provision),
  the year group (early years, post-16) or Southwark's type of PEP; the meeting's
  kind from Southwark's type of PEP.

  The loss report: with the parameter report=losses the stylesheet writes, in
  place of the Kent PEP, the list of what the Kent form cannot hold, and what it
  needs that the Southwark form does not have:

  <conversionReport xmlns="https://pep-tool.org/ns/conversion-report/1" from="southwark" to="kent">
    <lost section="4" field="talkedWith" path="/pep/childsView[1]/talkedWith[1]" unit="/pep/childsView[1]/talkedWith[1]" value="..."/>
    <missing section="A" field="school/designatedTeacher/qualifiedTeacher" reason="..."/>
  </conversionReport>

  `pep convert` prints the items grouped by part, in the words of the schemas,
  with the line of each lost field found from its path. The list is complete
  by construction: every element and attribute of the input is lost unless the
  key "held" below says the Kent form holds it, and says so exactly when
  converting back (kent-to-southwark.xsl) gives the same value at the same
  place. pep checks this on every conversion by converting back, and
  tests/e2e/test_convert.py on every sample.

  Duplicated in kent-to-southwark.xsl (each stylesheet stands alone, as pep applies
  it without reading any other file): the templates of the carried block and
  the report at the end.
-->
<xsl:stylesheet version="1.0"
                xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:s="https://pep-tool.org/ns/southwark/1"
                xmlns="https://pep-tool.org/ns/pep/1"
                xmlns:doc="https://pep-tool.org/ns/doc"
                xmlns:c="https://pep-tool.org/ns/pep-carried/1"
                xmlns:l="https://pep-tool.org/ns/source-line/1"
                xmlns:exsl="http://exslt.org/common"
                xmlns:crypto="http://exslt.org/crypto"
                exclude-result-prefixes="s doc c l exsl crypto">

  <doc:usage>
    xsltproc stylesheets/southwark-to-kent.xsl southwark.xml > pep.xml
    xsltproc --stringparam report losses stylesheets/southwark-to-kent.xsl southwark.xml
    pep convert --to kent southwark.xml -o pep.xml
  </doc:usage>

  <xsl:output method="xml" encoding="UTF-8" indent="yes"/>
  <xsl:strip-space elements="*"/>

  <!-- '' (the default): write the Kent PEP; 'losses': write the report. -->
  <xsl:param name="report" select="''"/>

  <xsl:variable name="from" select="'southwark'"/>
  <xsl:variable name="to" select="'kent'"/>
  <xsl:variable name="report-ns" select="'https://pep-tool.org/ns/conversion-report/1'"/>
  <xsl:variable name="carried-ns" select="'https://pep-tool.org/ns/pep-carried/1'"/>
  <!-- Attributes pep adds in memory to know each element's line (l:line),
       copied to the element made from it; never in a file. -->
  <xsl:variable name="line-ns" select="'https://pep-tool.org/ns/source-line/1'"/>
  <xsl:variable name="xsi-ns" select="'http://www.w3.org/2001/XMLSchema-instance'"/>

  <!-- ============================================================== -->
  <!-- What the conversion decides once                               -->
  <!-- ============================================================== -->

  <xsl:variable name="root" select="/s:pep | /s:pepReview | /s:pepNoProvision"/>
  <xsl:variable name="form" select="local-name($root)"/>
  <xsl:variable name="S1" select="$root/s:childDetails"/>
  <xsl:variable name="S2" select="$root/s:meetingSummary"/>
  <xsl:variable name="S3" select="$root/s:schoolInformation | $root/s:schoolUpdate"/>
  <xsl:variable name="S4" select="$root/s:childsView"/>
  <!-- What kent-to-southwark.xsl carried from a canonical PEP: put back
       what still belongs where it was (mode restore, template verdicts). -->
  <xsl:variable name="pep-ns" select="'https://pep-tool.org/ns/pep/1'"/>
  <xsl:variable name="carried" select="$root/c:carried[@format = 'https://pep-tool.org/ns/pep/1']"/>
  <!-- The carried block whatever it says it is from: what it holds and is
       not put back is reported. -->
  <xsl:variable name="block" select="$root/c:carried"/>
  <xsl:variable name="la" select="string($root/s:form/s:lookedAfterBy/@code)"/>
  <xsl:variable name="yg" select="string($S1/s:school/s:yearGroup | $S1/s:noProvision/s:yearGroup)"/>
  <xsl:variable name="pep-type">
    <xsl:choose>
      <xsl:when test="$form = 'pepReview'">review</xsl:when>
      <xsl:otherwise><xsl:value-of select="$root/s:form/s:pepType"/></xsl:otherwise>
    </xsl:choose>
  </xsl:variable>

  <!-- The canonical kind of PEP: the form, then the year group, then the type. -->
  <xsl:variable name="kind">
    <xsl:choose>
      <xsl:when test="$form = 'pepNoProvision'">no-provision</xsl:when>
      <xsl:when test="$yg = '12' or $yg = '13' or $yg = '14'">post-16</xsl:when>
      <xsl:when test="$yg = 'N1' or $yg = 'N2' or $yg = 'R'">early-years</xsl:when>
      <xsl:when test="$pep-type = 'first'">initial</xsl:when>
      <xsl:when test="$pep-type = 'review' or $pep-type = 'extra'">review</xsl:when>
      <xsl:when test="$pep-type = 'new-school'">transition</xsl:when>
    </xsl:choose>
  </xsl:variable>

  <!-- first, review, new-school, extra -> initial, review, transition, extra. -->
  <xsl:template name="kind-of">
    <xsl:param name="type"/>
    <xsl:choose>
      <xsl:when test="$type = 'first'">initial</xsl:when>
      <xsl:when test="$type = 'new-school'">transition</xsl:when>
      <xsl:when test="$type = 'review' or $type = 'extra'"><xsl:value-of select="$type"/></xsl:when>
    </xsl:choose>
  </xsl:template>

  <!-- ============================================================== -->
  <!-- The document                                                   -->
  <!-- ============================================================== -->

  <xsl:template match="/">
    <xsl:if test="not($root)">
      <xsl:message terminate="yes">southwark-to-kent.xsl converts Southwark PEP forms (root element pep, pepReview or pepNoProvision in namespace https://pep-tool.org/ns/southwark/1); this document is not one</xsl:message>
    </xsl:if>
    <xsl:choose>
      <xsl:when test="$report = 'losses'"><xsl:call-template name="report"/></xsl:when>
      <xsl:otherwise><xsl:call-template name="pep"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The Kent PEP, with what was carried put back. -->
  <xsl:template name="pep">
    <xsl:choose>
      <xsl:when test="$block/*">
        <xsl:variable name="made"><xsl:call-template name="made"/></xsl:variable>
        <xsl:variable name="verdicts">
          <xsl:call-template name="verdicts"><xsl:with-param name="made" select="exsl:node-set($made)"/></xsl:call-template>
        </xsl:variable>
        <xsl:apply-templates select="exsl:node-set($made)/*" mode="restore">
          <xsl:with-param name="path" select="'/pep'"/>
          <xsl:with-param name="verdicts" select="string($verdicts)"/>
        </xsl:apply-templates>
      </xsl:when>
      <xsl:otherwise><xsl:call-template name="made"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The Kent PEP made from the form. -->
  <xsl:template name="made">
    <pep>
      <xsl:copy-of select="$root/@l:line"/>
      <xsl:call-template name="header"/>
      <xsl:call-template name="section-a"/>
      <xsl:call-template name="section-b"/>
      <xsl:call-template name="section-c"/>
      <xsl:call-template name="section-d"/>
      <xsl:apply-templates select="$root/s:scannedDocuments" mode="copy"/>
    </pep>
  </xsl:template>

  <xsl:template name="header">
    <xsl:variable name="f" select="$root/s:form"/>
    <header>
      <xsl:copy-of select="$f/@l:line"/>
      <localAuthority code="{$la}"><xsl:copy-of select="$f/s:lookedAfterBy/@l:line"/><xsl:value-of select="$f/s:lookedAfterBy"/></localAuthority>
      <!-- Empty (and so not valid) only when the form does not say the type of
           PEP: reported missing, never guessed. -->
      <kind><xsl:copy-of select="$f/s:pepType/@l:line"/><xsl:value-of select="$kind"/></kind>
      <xsl:for-each select="$f/s:status"><formState><xsl:copy-of select="@l:line"/><xsl:value-of select="."/></formState></xsl:for-each>
      <xsl:apply-templates select="$f/s:previousPeps" mode="copy"/>
    </header>
  </xsl:template>

  <!-- Section A: essential information, from section 1. -->
  <xsl:template name="section-a">
    <essentialInformation>
      <xsl:copy-of select="$S1/@l:line"/>
      <xsl:apply-templates select="$S1/s:child | $S1/s:care | $S1/s:school | $S1/s:noProvision | $S1/s:health" mode="copy"/>
    </essentialInformation>
  </xsl:template>

  <!-- Section B: education information, from section 3. -->
  <xsl:template name="section-b">
    <educationInformation>
      <xsl:copy-of select="$S3/@l:line"/>
      <xsl:apply-templates select="$S3/s:attendance | $S3/s:conduct | $S3/s:timetable | $S3/s:exclusions | $S3/s:previousSchools
                                   | $S3/s:attainment | $S3/s:sen | $S3/s:extraSupport | $S3/s:futurePlan | $S3/s:post16"
                           mode="copy"/>
    </educationInformation>
  </xsl:template>

  <!-- Section C: the young person's views, from section 4. -->
  <xsl:template name="section-c">
    <youngPersonsViews>
      <xsl:copy-of select="$S4/@l:line"/>
      <xsl:apply-templates select="$S4/*[not(self::s:completed)]" mode="copy"/>
    </youngPersonsViews>
  </xsl:template>

  <!-- Section D: the meeting, from section 2, with the completion of every section. -->
  <xsl:template name="section-d">
    <pepMeeting>
      <xsl:copy-of select="$S2/@l:line"/>
      <xsl:apply-templates select="$S2/s:meeting/*" mode="copy"/>
      <xsl:if test="string($pep-type) != ''">
        <kind><xsl:copy-of select="$root/s:form/s:pepType/@l:line"/><xsl:call-template name="kind-of"><xsl:with-param name="type" select="string($pep-type)"/></xsl:call-template></kind>
      </xsl:if>
      <xsl:apply-templates select="$S2/s:present" mode="copy"/>
      <xsl:apply-templates select="$S1/s:checkedBySocialWorker" mode="copy"/>
      <xsl:apply-templates select="$S2/s:summary | $S2/s:carersView | $S2/s:reviewOfTargets | $S2/s:targets
                                   | $S2/s:actions | $S2/s:nextPep" mode="copy"/>
      <xsl:variable name="done" select="$S1/s:completed | $S3/s:completed | $S4/s:completed | $S2/s:completed"/>
      <xsl:if test="$done or $root/s:form/s:enteredOnIcs">
        <signOff>
          <xsl:copy-of select="($done | $root/s:form/s:enteredOnIcs)[1]/@l:line"/>
          <xsl:apply-templates select="$S1/s:completed" mode="completed"><xsl:with-param name="section">A</xsl:with-param></xsl:apply-templates>
          <xsl:apply-templates select="$S3/s:completed" mode="completed"><xsl:with-param name="section">B</xsl:with-param></xsl:apply-templates>
          <xsl:apply-templates select="$S4/s:completed" mode="completed"><xsl:with-param name="section">C</xsl:with-param></xsl:apply-templates>
          <xsl:apply-templates select="$S2/s:completed" mode="completed"><xsl:with-param name="section">D</xsl:with-param></xsl:apply-templates>
          <xsl:apply-templates select="$root/s:form/s:enteredOnIcs" mode="copy"/>
        </signOff>
      </xsl:if>
    </pepMeeting>
  </xsl:template>

  <xsl:template match="s:completed" mode="completed">
    <xsl:param name="section"/>
    <sectionComplete section="{$section}"><xsl:copy-of select="@l:line"/><xsl:apply-templates mode="copy"/></sectionComplete>
  </xsl:template>

  <!-- ============================================================== -->
  <!-- Mode copy: an element to the element of the same name in the   -->
  <!-- canonical namespace, unless a template below renames or drops  -->
  <!-- it. Attributes are copied only where a template says so.       -->
  <!-- ============================================================== -->

  <xsl:template match="*" mode="copy">
    <xsl:element name="{local-name()}"><xsl:copy-of select="@l:line"/><xsl:apply-templates mode="copy"/></xsl:element>
  </xsl:template>

  <xsl:template match="s:previousPeps" mode="copy">
    <pepHistory><xsl:copy-of select="@l:line"/><xsl:apply-templates mode="copy"/></pepHistory>
  </xsl:template>
  <xsl:template match="s:previousPep" mode="copy">
    <previousMeeting><xsl:copy-of select="@l:line"/><xsl:apply-templates mode="copy"/></previousMeeting>
  </xsl:template>
  <xsl:template match="s:previousPep/s:type" mode="copy">
    <kind><xsl:copy-of select="@l:line"/><xsl:call-template name="kind-of"><xsl:with-param name="type" select="string(.)"/></xsl:call-template></kind>
  </xsl:template>
  <xsl:template match="s:enteredOnIcs" mode="copy">
    <upload><xsl:copy-of select="@l:line"/><xsl:apply-templates mode="copy"/></upload>
  </xsl:template>

  <xsl:template match="s:child" mode="copy">
    <personal><xsl:copy-of select="@l:line"/>
      <xsl:if test="s:forenames | s:surname">
        <legalName><xsl:copy-of select="(s:forenames | s:surname)[1]/@l:line"/><xsl:apply-templates select="s:forenames | s:surname" mode="copy"/></legalName>
      </xsl:if>
      <xsl:apply-templates select="*[not(self::s:forenames or self::s:surname)]" mode="copy"/>
    </personal>
  </xsl:template>
  <xsl:template match="s:forenames" mode="copy">
    <givenNames><xsl:copy-of select="@l:line"/><xsl:value-of select="."/></givenNames>
  </xsl:template>
  <xsl:template match="s:surname" mode="copy">
    <familyName><xsl:copy-of select="@l:line"/><xsl:value-of select="."/></familyName>
  </xsl:template>
  <xsl:template match="s:knownAs" mode="copy">
    <preferredName><xsl:copy-of select="@l:line"/><xsl:value-of select="."/></preferredName>
  </xsl:template>
  <xsl:template match="s:childId" mode="copy">
    <laChildId><xsl:copy-of select="@l:line"/><xsl:value-of select="."/></laChildId>
  </xsl:template>
  <xsl:template match="s:care" mode="copy">
    <care><xsl:copy-of select="@l:line"/>
      <xsl:apply-templates select="s:dateBecameLookedAfter" mode="copy"/>
      <xsl:apply-templates select="*[not(self::s:dateBecameLookedAfter)]" mode="copy"/>
    </care>
  </xsl:template>
  <xsl:template match="s:dateBecameLookedAfter" mode="copy">
    <becameLookedAfter><xsl:copy-of select="@l:line"/><xsl:value-of select="."/></becameLookedAfter>
  </xsl:template>
  <xsl:template match="s:school/s:localAuthority" mode="copy">
    <schoolLocalAuthority><xsl:copy-of select="@l:line"/>
      <xsl:for-each select="@code"><xsl:attribute name="code"><xsl:value-of select="."/></xsl:attribute></xsl:for-each>
      <xsl:value-of select="."/>
    </schoolLocalAuthority>
  </xsl:template>
  <xsl:template match="s:designatedTeacher" mode="copy">
    <designatedTeacher><xsl:copy-of select="@l:line"/>
      <xsl:apply-templates mode="copy"/>
      <!-- Not on Southwark's form: left empty, and reported missing. -->
      <qualifiedTeacher/>
    </designatedTeacher>
  </xsl:template>
  <xsl:template match="s:noProvision" mode="copy">
    <noEducationalProvision><xsl:copy-of select="@l:line"/>
      <xsl:apply-templates select="s:yearGroup | s:since" mode="copy"/>
      <xsl:apply-templates select="$S2/s:whyNoProvision | $S2/s:actionPlan" mode="copy"/>
      <xsl:apply-templates select="s:currentSituation" mode="copy"/>
    </noEducationalProvision>
  </xsl:template>
  <xsl:template match="s:whyNoProvision" mode="copy">
    <reason><xsl:copy-of select="@l:line"/><xsl:value-of select="."/></reason>
  </xsl:template>
  <xsl:template match="s:checkedBySocialWorker" mode="copy">
    <socialWorkerConfirmedSectionA><xsl:copy-of select="@l:line"/><xsl:value-of select="."/></socialWorkerConfirmedSectionA>
  </xsl:template>

  <xsl:template match="s:meeting/s:time" mode="copy">
    <startTime><xsl:copy-of select="@l:line"/><xsl:value-of select="."/></startTime>
  </xsl:template>
  <xsl:template match="s:present" mode="copy">
    <attendees><xsl:copy-of select="@l:line"/><xsl:apply-templates mode="copy"/></attendees>
  </xsl:template>
  <xsl:template match="s:person" mode="copy">
    <attendee><xsl:copy-of select="@l:line"/><xsl:apply-templates mode="copy"/></attendee>
  </xsl:template>
  <xsl:template match="s:carersView" mode="copy">
    <carersViews><xsl:copy-of select="@l:line"/><xsl:value-of select="."/></carersViews>
  </xsl:template>
  <xsl:template match="s:reviewOfTargets" mode="copy">
    <previousTargets><xsl:copy-of select="@l:line"/><xsl:apply-templates mode="copy"/></previousTargets>
  </xsl:template>
  <xsl:template match="s:target/s:startingPoint" mode="copy">
    <baseline><xsl:copy-of select="@l:line"/><xsl:value-of select="."/></baseline>
  </xsl:template>
  <xsl:template match="s:target/s:byWhen" mode="copy">
    <deadline><xsl:copy-of select="@l:line"/><xsl:value-of select="."/></deadline>
  </xsl:template>
  <xsl:template match="s:nextPep" mode="copy">
    <nextMeeting><xsl:copy-of select="@l:line"/><xsl:apply-templates mode="copy"/></nextMeeting>
  </xsl:template>

  <xsl:template match="s:timetable" mode="copy">
    <reducedTimetable><xsl:copy-of select="@l:line"/><xsl:apply-templates mode="copy"/></reducedTimetable>
  </xsl:template>
  <xsl:template match="s:timetable/s:reduced" mode="copy">
    <inPlace><xsl:copy-of select="@l:line"/><xsl:value-of select="."/></inPlace>
  </xsl:template>
  <xsl:template match="s:previousSchools" mode="copy">
    <previousSchools><xsl:copy-of select="@l:line"/>
      <xsl:for-each select="@none"><xsl:attribute name="none"><xsl:value-of select="."/></xsl:attribute></xsl:for-each>
      <xsl:apply-templates mode="copy"/>
    </previousSchools>
  </xsl:template>
  <xsl:template match="s:futurePlan" mode="copy">
    <plan14to19><xsl:copy-of select="@l:line"/><xsl:apply-templates mode="copy"/></plan14to19>
  </xsl:template>

  <xsl:template match="s:wantsToSay" mode="copy">
    <wantsFromMeeting><xsl:copy-of select="@l:line"/><xsl:value-of select="."/></wantsFromMeeting>
  </xsl:template>
  <xsl:template match="s:talkedWith" mode="copy">
    <completedWith><xsl:copy-of select="@l:line"/><xsl:apply-templates mode="copy"/></completedWith>
  </xsl:template>
  <xsl:template match="s:speaksForMe" mode="copy">
    <nominatedAdult><xsl:copy-of select="@l:line"/><xsl:apply-templates mode="copy"/></nominatedAdult>
  </xsl:template>

  <xsl:template match="s:scannedDocuments" mode="copy">
    <attachments><xsl:copy-of select="@l:line"/><xsl:apply-templates mode="copy"/></attachments>
  </xsl:template>
  <xsl:template match="s:document" mode="copy">
    <attachment><xsl:copy-of select="@l:line"/><xsl:apply-templates mode="copy"/></attachment>
  </xsl:template>

  <!-- ============================================================== -->
  <!-- Putting back what was carried (mode restore): the PEP made from -->
  <!-- the form, element by element, each at its path (every step     -->
  <!-- numbered), with the carried attributes set, a carried element  -->
  <!-- in place of the one at its path, or after the elements it came -->
  <!-- after, and an absent path left out.                            -->
  <!-- ============================================================== -->

  <xsl:template match="*" mode="restore">
    <xsl:param name="path"/>
    <xsl:param name="verdicts"/>
    <xsl:variable name="here" select="$carried/c:element[@parent = $path][contains($verdicts, concat('|', generate-id(), '=|'))]"/>
    <xsl:variable name="kids" select="*"/>
    <!-- The paths of the elements here: |/pep/header[1]|/pep/essentialInformation[1]|... -->
    <xsl:variable name="paths">
      <xsl:text>|</xsl:text>
      <xsl:for-each select="*">
        <xsl:value-of select="concat($path, '/', local-name(), '[', count(preceding-sibling::*[local-name() = local-name(current())]) + 1, ']|')"/>
      </xsl:for-each>
    </xsl:variable>
    <xsl:element name="{local-name()}" namespace="{namespace-uri()}">
      <xsl:copy-of select="@*"/>
      <xsl:for-each select="$carried/c:attribute[@parent = $path][contains($verdicts, concat('|', generate-id(), '=|'))]">
        <xsl:attribute name="{@name}"><xsl:value-of select="."/></xsl:attribute>
      </xsl:for-each>
      <!-- pep, reading the form in memory (it gave each element l:line, which
           a file never has), is told how many carried parts stay out. -->
      <xsl:if test="$path = '/pep' and $root/@l:line">
        <xsl:attribute name="l:unrestored">
          <xsl:value-of select="count($block/*[not(self::c:absent)][not(contains($verdicts, concat('|', generate-id(), '=|')))])"/>
        </xsl:attribute>
      </xsl:if>
      <!-- Inserted before every element here. -->
      <xsl:for-each select="$here[not(contains($paths, concat('|', @path, '|')))]">
        <xsl:variable name="after" select="@after"/>
        <xsl:if test="not($kids[contains($after, concat(' ', local-name(), ' '))])">
          <xsl:apply-templates select="*" mode="as-is"/>
        </xsl:if>
      </xsl:for-each>
      <xsl:for-each select="node()">
        <xsl:choose>
          <xsl:when test="self::*">
            <xsl:variable name="kid" select="."/>
            <xsl:variable name="name" select="concat(' ', local-name(), ' ')"/>
            <xsl:variable name="p" select="concat($path, '/', local-name(), '[', count(preceding-sibling::*[local-name() = local-name(current())]) + 1, ']')"/>
            <xsl:variable name="same" select="$here[@path = $p]"/>
            <xsl:choose>
              <!-- Left out while it is still what converting back gave. -->
              <xsl:when test="$carried/c:absent[@path = $p][string(@was) = string($kid)]
                              and not($kid/* or $kid/@*[namespace-uri() != $line-ns])"/>
              <xsl:when test="$same and (not($same/@was) or string($same/@was) = string($kid))">
                <xsl:apply-templates select="$same/*" mode="as-is"/>
              </xsl:when>
              <xsl:otherwise>
                <xsl:apply-templates select="." mode="restore">
                  <xsl:with-param name="path" select="$p"/>
                  <xsl:with-param name="verdicts" select="$verdicts"/>
                </xsl:apply-templates>
              </xsl:otherwise>
            </xsl:choose>
            <!-- Inserted after this element: the last one here that came before it. -->
            <xsl:for-each select="$here[contains(@after, $name)][not(contains($paths, concat('|', @path, '|')))]">
              <xsl:variable name="after" select="@after"/>
              <xsl:if test="not($kid/following-sibling::*[contains($after, concat(' ', local-name(), ' '))])">
                <xsl:apply-templates select="*" mode="as-is"/>
              </xsl:if>
            </xsl:for-each>
          </xsl:when>
          <xsl:otherwise><xsl:copy-of select="."/></xsl:otherwise>
        </xsl:choose>
      </xsl:for-each>
    </xsl:element>
  </xsl:template>

  <!-- Whether each item of the carried block may be put back, as a string:
       "|ID=WHY" for each item (ID its generate-id()), then "|". WHY is
       empty when it may, else why not:
         unrecognised  not an item kent-to-southwark.xsl writes (the block
                       was edited by hand, or is from another format)
         place         its place is not in the PEP made from the form
         changed       the form now says something else at its path
         form          it certifies the PEP (bound="form"), and the form no
                       longer says what it said (the block's digest)
         owner         the element it belongs to (owner) has other fields
                       on the form now (fp)
         unbound       it does not say what it belongs to
       made is the PEP made from the form (template made). -->
  <xsl:template name="verdicts">
    <xsl:param name="made"/>
    <xsl:if test="not(function-available('crypto:sha1'))">
      <xsl:message terminate="yes">southwark-to-kent.xsl checks the carried block against the form with EXSLT's crypto:sha1, which this XSLT processor lacks (libexslt built without libgcrypt): use one that has it</xsl:message>
    </xsl:if>
    <!-- Indexes (key at; each in a document of its own): the paths the
         items are bound to, those a carried element replaces or an absent
         path leaves out, and every path of the PEP made from the form. -->
    <xsl:variable name="owners"><xsl:for-each select="$carried/*/@owner"><c:at path="{.}"/></xsl:for-each></xsl:variable>
    <xsl:variable name="skips"><xsl:for-each select="$carried/c:element/@path | $carried/c:absent/@path"><c:at path="{.}"/></xsl:for-each></xsl:variable>
    <xsl:variable name="paths">
      <xsl:apply-templates select="$made/*" mode="paths">
        <xsl:with-param name="path" select="'/pep'"/>
        <xsl:with-param name="owners" select="exsl:node-set($owners)"/>
        <xsl:with-param name="skips" select="exsl:node-set($skips)"/>
      </xsl:apply-templates>
    </xsl:variable>
    <xsl:variable name="ps" select="exsl:node-set($paths)"/>
    <xsl:variable name="data"><xsl:apply-templates select="$root/*[not(self::c:carried)]" mode="form-data"/></xsl:variable>
    <xsl:variable name="digest" select="crypto:sha1(concat($form, ':', $data))"/>
    <xsl:variable name="letters" select="'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'"/>
    <xsl:for-each select="$block/*[not(self::c:absent)]">
      <xsl:variable name="item" select="."/>
      <xsl:value-of select="concat('|', generate-id(), '=')"/>
      <xsl:choose>
        <xsl:when test="not(../@format = $pep-ns) or not(self::c:element or self::c:attribute)
                        or not(starts-with(concat(@parent, '/'), '/pep/'))
                        or self::c:attribute and (* or not(contains($letters, substring(@name, 1, 1)))
                                                  or translate(@name, concat($letters, '0123456789'), '') != ''
                                                  or starts-with(translate(@name, 'XML', 'xml'), 'xml'))
                        or self::c:element and (count(*) != 1 or namespace-uri(*) != $pep-ns
                                                or not(starts-with(@path, concat(@parent, '/', local-name(*), '['))))">unrecognised</xsl:when>
        <xsl:otherwise>
          <xsl:for-each select="$ps"><!-- key() looks in the document of the context -->
            <xsl:variable name="at" select="key('at', $item/@path)"/>
            <xsl:choose>
              <xsl:when test="not(key('at', $item/@parent))">place</xsl:when>
              <xsl:when test="$item/@was and $at and string($item/@was) != string($at/@value)">changed</xsl:when>
              <xsl:when test="$item/@bound = 'form'"><xsl:if test="string($item/../@digest) != $digest">form</xsl:if></xsl:when>
              <xsl:when test="$item/@owner"><xsl:if test="string($item/@fp) != string(key('at', $item/@owner)/@fp)">owner</xsl:if></xsl:when>
              <xsl:otherwise>unbound</xsl:otherwise>
            </xsl:choose>
          </xsl:for-each>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:for-each>
    <xsl:text>|</xsl:text>
  </xsl:template>

  <!-- The fields of an element of the PEP made from the form (the context,
       at path), as kent-to-southwark.xsl's mode owner-data gives them for
       the element of the canonical PEP: each "name=value" and a line feed,
       in document order, without what is at a path a carried element
       replaces or an absent path leaves out. -->
  <xsl:template match="*" mode="owner-data">
    <xsl:param name="path"/>
    <xsl:param name="skips"/>
    <xsl:variable name="skip"><xsl:for-each select="$skips"><xsl:if test="key('at', $path)">x</xsl:if></xsl:for-each></xsl:variable>
    <xsl:if test="$skip = ''">
      <xsl:choose>
        <xsl:when test="*">
          <xsl:for-each select="*">
            <xsl:apply-templates select="." mode="owner-data">
              <xsl:with-param name="path" select="concat($path, '/', local-name(), '[', count(preceding-sibling::*[local-name() = local-name(current())]) + 1, ']')"/>
              <xsl:with-param name="skips" select="$skips"/>
            </xsl:apply-templates>
          </xsl:for-each>
        </xsl:when>
        <xsl:when test="normalize-space() != ''"><xsl:value-of select="concat(local-name(), '=', normalize-space(), '&#10;')"/></xsl:when>
      </xsl:choose>
    </xsl:if>
  </xsl:template>

  <!-- Nothing is carried from Southwark's form (the canonical format holds
       all of it): the hooks of the shared templates units and unit do
       nothing. -->
  <xsl:template name="owner-fp"/>
  <xsl:template name="binding"/>

  <!-- ============================================================== -->
  <!-- Mode fate: what becomes of each element and attribute of the   -->
  <!-- form. A template writes nothing when the Kent form holds it    -->
  <!-- (converting back gives it again, at the same place), and       -->
  <!-- "lost" when it has no place for it.                            -->
  <!-- ============================================================== -->

  <!-- What the Kent form holds, and the carried block, which is put back. -->
  <xsl:key name="held" use="generate-id()" match="
      s:form | s:form//* | s:lookedAfterBy/@code
      | s:childDetails | s:childDetails//* | s:school/s:localAuthority/@code
      | s:meetingSummary | s:meetingSummary//*
      | s:schoolInformation | s:schoolInformation//* | s:schoolUpdate | s:schoolUpdate//* | s:previousSchools/@none
      | s:childsView | s:childsView//*
      | s:scannedDocuments | s:scannedDocuments//*
      | c:carried | c:carried//* | c:carried//@*"/>
  <!-- Nothing here depends on the document. -->
  <xsl:key name="judged" use="generate-id()" match="*[false()]"/>

  <xsl:template mode="fate" priority="1" match="*[key('held', generate-id())] | @*[key('held', generate-id())]"/>

  <xsl:template mode="fate" priority="-10" match="*|@*">lost</xsl:template>

  <!-- What to do about a field the Kent form has no place for. -->
  <xsl:template name="advice"/>

  <!-- What the Kent form needs and Southwark's form does not have. -->
  <xsl:template name="missing">
    <xsl:param name="verdicts"/>
    <!-- What is put back of what the form does not ask for. -->
    <xsl:variable name="back" select="$carried/c:element[descendant::*[local-name() = 'qualifiedTeacher' or local-name() = 'qualityAssurance']]
                                                        [contains($verdicts, concat('|', generate-id(), '=|'))]"/>
    <xsl:if test="string($kind) = ''">
      <xsl:call-template name="missing-item">
        <xsl:with-param name="section">header</xsl:with-param>
        <xsl:with-param name="field">kind</xsl:with-param>
        <xsl:with-param name="reason">the form does not say whether this is a first, review or new-school PEP (the type of PEP, form/pepType), and the canonical format needs the kind of PEP: fill in the type of PEP</xsl:with-param>
      </xsl:call-template>
    </xsl:if>
    <xsl:if test="$S1/s:care and normalize-space($S1/s:care/s:placement) = ''">
      <xsl:call-template name="missing-item">
        <xsl:with-param name="section">A</xsl:with-param>
        <xsl:with-param name="field">care/placement</xsl:with-param>
        <xsl:with-param name="reason">the form does not record whether the placement was planned (rule A02; Kent's initial-PEP deadline depends on it, rule T01): fill it in</xsl:with-param>
      </xsl:call-template>
    </xsl:if>
    <xsl:if test="$S1/s:school/s:designatedTeacher and not($back//*[local-name() = 'qualifiedTeacher'])">
      <xsl:call-template name="missing-item">
        <xsl:with-param name="section">A</xsl:with-param>
        <xsl:with-param name="field">school/designatedTeacher/qualifiedTeacher</xsl:with-param>
        <xsl:with-param name="reason">Southwark's form does not say whether the designated teacher is a qualified teacher (rule D11)</xsl:with-param>
      </xsl:call-template>
    </xsl:if>
    <xsl:if test="($la = 'kent' or $la = 'kirklees') and not($back//*[local-name() = 'qualityAssurance'])">
      <xsl:call-template name="missing-item">
        <xsl:with-param name="section">D</xsl:with-param>
        <xsl:with-param name="field">signOff/qualityAssurance</xsl:with-param>
        <xsl:with-param name="reason">Southwark's form has no quality assurance by the virtual school, which this LA records before upload (rule D10)</xsl:with-param>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>

  <xsl:template name="section-of">
    <xsl:param name="top"/>
    <xsl:choose>
      <xsl:when test="$top = 'childDetails'">1</xsl:when>
      <xsl:when test="$top = 'meetingSummary'">2</xsl:when>
      <xsl:when test="$top = 'schoolInformation' or $top = 'schoolUpdate'">3</xsl:when>
      <xsl:when test="$top = 'childsView'">4</xsl:when>
      <xsl:otherwise><xsl:value-of select="$top"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ============================================================== -->
  <!-- The loss report (the same templates in kent-to-southwark.xsl)   -->
  <!-- ============================================================== -->

  <xsl:template name="report">
    <xsl:variable name="verdicts">
      <xsl:if test="$block/*">
        <xsl:variable name="made"><xsl:call-template name="made"/></xsl:variable>
        <xsl:call-template name="verdicts"><xsl:with-param name="made" select="exsl:node-set($made)"/></xsl:call-template>
      </xsl:if>
    </xsl:variable>
    <xsl:element name="conversionReport" namespace="{$report-ns}">
      <xsl:attribute name="from"><xsl:value-of select="$from"/></xsl:attribute>
      <xsl:attribute name="to"><xsl:value-of select="$to"/></xsl:attribute>
      <xsl:apply-templates select="/*" mode="units"><xsl:with-param name="what" select="'report'"/></xsl:apply-templates>
      <xsl:call-template name="unrestored"><xsl:with-param name="verdicts" select="string($verdicts)"/></xsl:call-template>
      <xsl:call-template name="missing"><xsl:with-param name="verdicts" select="string($verdicts)"/></xsl:call-template>
    </xsl:element>
  </xsl:template>

  <!-- What was carried and is not put back (template verdicts says why):
       each of its fields, in the section carriedBlock, with why and what
       to do. The field is the path the item names (none when it is not an
       item pep writes); the path and unit are the item's in the form. -->
  <xsl:template name="unrestored">
    <xsl:param name="verdicts"/>
    <xsl:for-each select="$block/*[not(self::c:absent)]">
      <xsl:variable name="why" select="substring-before(substring-after($verdicts, concat('|', generate-id(), '=')), '|')"/>
      <xsl:if test="$why != ''">
        <xsl:variable name="unit" select="concat('/', local-name($root), '/carried[1]/', local-name(), '[',
                                              count(preceding-sibling::*[local-name() = local-name(current())]) + 1, ']')"/>
        <xsl:variable name="advice">
          <xsl:choose>
            <xsl:when test="$why = 'unrecognised'">pep does not write the carried block this way (was it edited by hand?): nothing of it was put back</xsl:when>
            <xsl:when test="$why = 'place'">its place is no longer on the form: enter it again by hand if it still applies</xsl:when>
            <xsl:when test="$why = 'changed'">the form now says something else there: enter it again by hand if it still applies</xsl:when>
            <xsl:when test="$why = 'form'">the form has changed since it was converted, so this no longer certifies it: sign the PEP off again (and quality-assure it, where the LA does)</xsl:when>
            <xsl:when test="$why = 'owner' and substring(@owner, string-length(@owner) - 21) = '/pepMeeting[1]/date[1]'">the meeting's date on the form has changed since it was converted: enter it again by hand if it is true of this meeting</xsl:when>
            <xsl:when test="$why = 'owner' and contains(@owner, '/targets[1]/target[')">the target's description on the form has changed since it was converted, or the target has moved: enter it again by hand if it is true of the target</xsl:when>
            <xsl:when test="$why = 'owner'">what it belongs to on the form has changed since it was converted: check it and enter it again by hand if it still applies</xsl:when>
            <xsl:otherwise>it does not say what it belongs to on the form (it was written by an older pep, or edited by hand): check it and enter it again by hand if it still applies</xsl:otherwise>
          </xsl:choose>
        </xsl:variable>
        <xsl:choose>
          <xsl:when test="$why = 'unrecognised'">
            <xsl:for-each select="*">
              <xsl:apply-templates select="." mode="lost">
                <xsl:with-param name="path" select="concat($unit, '/', local-name(), '[', count(preceding-sibling::*[local-name() = local-name(current())]) + 1, ']')"/>
                <xsl:with-param name="section" select="'carriedBlock'"/>
                <xsl:with-param name="unit" select="$unit"/>
                <xsl:with-param name="advice" select="$advice"/>
                <xsl:with-param name="why" select="$why"/>
              </xsl:apply-templates>
            </xsl:for-each>
            <xsl:if test="not(*) and normalize-space(.) != ''">
              <xsl:call-template name="lost">
                <xsl:with-param name="path" select="$unit"/>
                <xsl:with-param name="section" select="'carriedBlock'"/>
                <xsl:with-param name="unit" select="$unit"/>
                <xsl:with-param name="advice" select="$advice"/>
                <xsl:with-param name="why" select="$why"/>
              </xsl:call-template>
            </xsl:if>
          </xsl:when>
          <xsl:when test="self::c:attribute">
            <xsl:if test="normalize-space(.) != ''">
              <xsl:call-template name="lost">
                <xsl:with-param name="path" select="$unit"/>
                <xsl:with-param name="field" select="concat(substring-after(@parent, '/pep/'), '/@', @name)"/>
                <xsl:with-param name="section" select="'carriedBlock'"/>
                <xsl:with-param name="unit" select="$unit"/>
                <xsl:with-param name="advice" select="$advice"/>
                <xsl:with-param name="why" select="$why"/>
                <xsl:with-param name="item" select="concat(substring-after(@parent, '/pep/'), '/@', @name)"/>
              </xsl:call-template>
            </xsl:if>
          </xsl:when>
          <xsl:otherwise>
            <xsl:apply-templates select="*" mode="lost">
              <xsl:with-param name="path" select="concat($unit, '/', local-name(*), '[1]')"/>
              <xsl:with-param name="field" select="substring-after(@path, '/pep/')"/>
              <xsl:with-param name="section" select="'carriedBlock'"/>
              <xsl:with-param name="unit" select="$unit"/>
              <xsl:with-param name="advice" select="$advice"/>
              <xsl:with-param name="why" select="$why"/>
              <xsl:with-param name="item" select="substring-after(@path, '/pep/')"/>
            </xsl:apply-templates>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:if>
    </xsl:for-each>
  </xsl:template>

  <!-- Indexes of paths, each in a document of its own (template verdicts). -->
  <xsl:key name="at" match="c:at" use="@path"/>

  <!-- Every element's path, every step numbered, and value (and fp). -->
  <xsl:template match="*" mode="paths">
    <xsl:param name="path"/>
    <xsl:param name="owners"/>
    <xsl:param name="skips"/>
    <xsl:variable name="owned"><xsl:for-each select="$owners"><xsl:if test="key('at', $path)">x</xsl:if></xsl:for-each></xsl:variable>
    <c:at path="{$path}" value="{.}">
      <!-- fp: the SHA-1 of its fields (mode owner-data), where a carried item is bound to it -->
      <xsl:if test="$owned != ''">
        <xsl:variable name="data">
          <xsl:apply-templates select="." mode="owner-data">
            <xsl:with-param name="path" select="$path"/>
            <xsl:with-param name="skips" select="$skips"/>
          </xsl:apply-templates>
        </xsl:variable>
        <xsl:attribute name="fp"><xsl:value-of select="crypto:sha1(string($data))"/></xsl:attribute>
      </xsl:if>
    </c:at>
    <xsl:for-each select="*">
      <xsl:apply-templates select="." mode="paths">
        <xsl:with-param name="path" select="concat($path, '/', local-name(), '[', count(preceding-sibling::*[local-name() = local-name(current())]) + 1, ']')"/>
        <xsl:with-param name="owners" select="$owners"/>
        <xsl:with-param name="skips" select="$skips"/>
      </xsl:apply-templates>
    </xsl:for-each>
  </xsl:template>

  <!-- The parts of the element that the target form has no place for: its
       attributes, and its child elements none of whose fields the form
       holds, whole; the children that it holds in part are looked into.
       path is the element's path, every step numbered; field its path below
       its section, [n] where a name repeats; section its section ('' for
       the document element). -->
  <xsl:key name="same" match="*" use="concat(generate-id(..), ' ', local-name())"/>

  <xsl:template match="*" mode="units">
    <xsl:param name="what"/>
    <xsl:param name="path" select="concat('/', local-name())"/>
    <xsl:param name="field" select="''"/>
    <xsl:param name="section" select="''"/>
    <xsl:variable name="sep"><xsl:if test="$field != ''">/</xsl:if></xsl:variable>
    <!-- What the parts carried from here are bound to, once for all of them. -->
    <xsl:variable name="fp"><xsl:if test="$what = 'carry'"><xsl:call-template name="owner-fp"/></xsl:if></xsl:variable>
    <xsl:for-each select="@*[namespace-uri() != $xsi-ns and namespace-uri() != $line-ns]">
      <xsl:variable name="fate"><xsl:apply-templates select="." mode="fate"/></xsl:variable>
      <xsl:if test="$fate != ''">
        <xsl:call-template name="unit">
          <xsl:with-param name="what" select="$what"/>
          <xsl:with-param name="fate" select="$fate"/>
          <xsl:with-param name="fp" select="string($fp)"/>
          <xsl:with-param name="path" select="concat($path, '/@', local-name())"/>
          <xsl:with-param name="parent" select="$path"/>
          <xsl:with-param name="field" select="concat($field, $sep, '@', local-name())"/>
          <xsl:with-param name="section" select="$section"/>
        </xsl:call-template>
      </xsl:if>
    </xsl:for-each>
    <!-- Each name once, then its elements: their positions without counting. -->
    <xsl:for-each select="*[generate-id() = generate-id(key('same', concat(generate-id(..), ' ', local-name()))[1])]">
      <xsl:variable name="all" select="key('same', concat(generate-id(..), ' ', local-name()))"/>
      <xsl:variable name="many" select="count($all) > 1"/>
      <xsl:for-each select="$all">
        <xsl:variable name="sec">
          <xsl:choose>
            <xsl:when test="$section = ''"><xsl:call-template name="section-of"><xsl:with-param name="top" select="local-name()"/></xsl:call-template></xsl:when>
            <xsl:otherwise><xsl:value-of select="$section"/></xsl:otherwise>
          </xsl:choose>
        </xsl:variable>
        <xsl:variable name="f">
          <xsl:if test="$section != ''">
            <xsl:value-of select="concat($field, $sep, local-name())"/>
            <xsl:if test="$many"><xsl:value-of select="concat('[', position(), ']')"/></xsl:if>
          </xsl:if>
        </xsl:variable>
        <xsl:variable name="p" select="concat($path, '/', local-name(), '[', position(), ']')"/>
        <xsl:variable name="held">
          <xsl:choose>
            <xsl:when test="(descendant-or-self::* | descendant-or-self::*/@*)[key('held', generate-id())]">x</xsl:when>
            <xsl:otherwise>
              <xsl:for-each select="(descendant-or-self::* | descendant-or-self::*/@*)[key('judged', generate-id())]">
                <xsl:variable name="fate"><xsl:apply-templates select="." mode="fate"/></xsl:variable>
                <xsl:if test="$fate = ''">x</xsl:if>
              </xsl:for-each>
            </xsl:otherwise>
          </xsl:choose>
        </xsl:variable>
        <xsl:choose>
          <xsl:when test="$held = ''">
            <xsl:variable name="fate"><xsl:apply-templates select="." mode="fate"/></xsl:variable>
            <xsl:call-template name="unit">
              <xsl:with-param name="what" select="$what"/>
              <xsl:with-param name="fate" select="$fate"/>
              <xsl:with-param name="fp" select="string($fp)"/>
              <xsl:with-param name="path" select="$p"/>
              <xsl:with-param name="parent" select="$path"/>
              <xsl:with-param name="field" select="$f"/>
              <xsl:with-param name="section" select="$sec"/>
            </xsl:call-template>
          </xsl:when>
          <xsl:otherwise>
            <xsl:apply-templates select="." mode="units">
              <xsl:with-param name="what" select="$what"/>
              <xsl:with-param name="path" select="$p"/>
              <xsl:with-param name="field" select="$f"/>
              <xsl:with-param name="section" select="$sec"/>
            </xsl:apply-templates>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:for-each>
    </xsl:for-each>
  </xsl:template>

  <!-- One part (the context: an element or an attribute) the target form has
       no place for: its item in the carried block, or a lost item in the
       report for each of its fields with a value. -->
  <xsl:template name="unit">
    <xsl:param name="what"/>
    <xsl:param name="fate"/>
    <xsl:param name="fp"/>
    <xsl:param name="path"/>
    <xsl:param name="parent"/>
    <xsl:param name="field"/>
    <xsl:param name="section"/>
    <xsl:variable name="attr" select="count(. | ../@*) = count(../@*)"/>
    <xsl:choose>
      <xsl:when test="$what = 'report'">
        <xsl:variable name="advice"><xsl:call-template name="advice"/></xsl:variable>
        <xsl:apply-templates select="." mode="lost">
          <xsl:with-param name="path" select="$path"/>
          <xsl:with-param name="field" select="$field"/>
          <xsl:with-param name="section" select="$section"/>
          <xsl:with-param name="unit" select="$path"/>
          <xsl:with-param name="advice" select="$advice"/>
        </xsl:apply-templates>
      </xsl:when>
      <xsl:when test="$attr and (normalize-space(.) != '' or starts-with($fate, 'changed:'))">
        <xsl:element name="attribute" namespace="{$carried-ns}">
          <xsl:attribute name="parent"><xsl:value-of select="$parent"/></xsl:attribute>
          <xsl:attribute name="name"><xsl:value-of select="local-name()"/></xsl:attribute>
          <xsl:call-template name="binding">
            <xsl:with-param name="parent" select="$parent"/>
            <xsl:with-param name="fp" select="$fp"/>
          </xsl:call-template>
          <xsl:value-of select="."/>
        </xsl:element>
      </xsl:when>
      <xsl:when test="not($attr) and (normalize-space(.) != '' or descendant-or-self::*/@*[normalize-space()][namespace-uri() != $xsi-ns and namespace-uri() != $line-ns]
                      or starts-with($fate, 'changed:'))">
        <xsl:element name="element" namespace="{$carried-ns}">
          <xsl:attribute name="parent"><xsl:value-of select="$parent"/></xsl:attribute>
          <xsl:attribute name="path"><xsl:value-of select="$path"/></xsl:attribute>
          <xsl:attribute name="after">
            <xsl:text> </xsl:text>
            <xsl:variable name="me" select="."/>
            <xsl:for-each select="preceding-sibling::*[local-name() != local-name(following-sibling::*[1])
                                  or count(following-sibling::*[1] | $me) = 1]">
              <xsl:value-of select="concat(local-name(), ' ')"/>
            </xsl:for-each>
          </xsl:attribute>
          <xsl:if test="starts-with($fate, 'changed:')">
            <xsl:attribute name="was"><xsl:value-of select="substring-after($fate, 'changed:')"/></xsl:attribute>
          </xsl:if>
          <xsl:call-template name="binding">
            <xsl:with-param name="parent" select="$parent"/>
            <xsl:with-param name="fp" select="$fp"/>
          </xsl:call-template>
          <xsl:apply-templates select="." mode="as-is"/>
        </xsl:element>
      </xsl:when>
    </xsl:choose>
  </xsl:template>

  <!-- The lost items of a part: each of its fields with a value. -->
  <xsl:template match="@*" mode="lost">
    <xsl:param name="path"/>
    <xsl:param name="field"/>
    <xsl:param name="section"/>
    <xsl:param name="unit"/>
    <xsl:param name="advice"/>
    <xsl:param name="why" select="''"/>
    <xsl:param name="item" select="''"/>
    <xsl:if test="normalize-space(.) != '' and namespace-uri() != $xsi-ns and namespace-uri() != $line-ns">
      <xsl:call-template name="lost">
        <xsl:with-param name="path" select="$path"/>
        <xsl:with-param name="field" select="$field"/>
        <xsl:with-param name="section" select="$section"/>
        <xsl:with-param name="unit" select="$unit"/>
        <xsl:with-param name="advice" select="$advice"/>
        <xsl:with-param name="why" select="$why"/>
        <xsl:with-param name="item" select="$item"/>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>
  <xsl:template match="*" mode="lost">
    <xsl:param name="path"/>
    <xsl:param name="field"/>
    <xsl:param name="section"/>
    <xsl:param name="unit"/>
    <xsl:param name="advice"/>
    <xsl:param name="why" select="''"/>
    <xsl:param name="item" select="''"/>
    <xsl:variable name="sep"><xsl:if test="$field != ''">/</xsl:if></xsl:variable>
    <xsl:for-each select="@*">
      <xsl:apply-templates select="." mode="lost">
        <xsl:with-param name="path" select="concat($path, '/@', local-name())"/>
        <xsl:with-param name="field" select="concat($field, $sep, '@', local-name())"/>
        <xsl:with-param name="section" select="$section"/>
        <xsl:with-param name="unit" select="$unit"/>
        <xsl:with-param name="advice" select="$advice"/>
        <xsl:with-param name="why" select="$why"/>
        <xsl:with-param name="item" select="$item"/>
      </xsl:apply-templates>
    </xsl:for-each>
    <xsl:if test="not(*) and normalize-space(.) != ''">
      <xsl:call-template name="lost">
        <xsl:with-param name="path" select="$path"/>
        <xsl:with-param name="field" select="$field"/>
        <xsl:with-param name="section" select="$section"/>
        <xsl:with-param name="unit" select="$unit"/>
        <xsl:with-param name="advice" select="$advice"/>
        <xsl:with-param name="why" select="$why"/>
        <xsl:with-param name="item" select="$item"/>
      </xsl:call-template>
    </xsl:if>
    <xsl:for-each select="*[generate-id() = generate-id(key('same', concat(generate-id(..), ' ', local-name()))[1])]">
      <xsl:variable name="all" select="key('same', concat(generate-id(..), ' ', local-name()))"/>
      <xsl:variable name="many" select="count($all) > 1"/>
      <xsl:for-each select="$all">
        <xsl:apply-templates select="." mode="lost">
          <xsl:with-param name="path" select="concat($path, '/', local-name(), '[', position(), ']')"/>
          <xsl:with-param name="field">
            <xsl:value-of select="concat($field, $sep, local-name())"/>
            <xsl:if test="$many"><xsl:value-of select="concat('[', position(), ']')"/></xsl:if>
          </xsl:with-param>
          <xsl:with-param name="section" select="$section"/>
          <xsl:with-param name="unit" select="$unit"/>
          <xsl:with-param name="advice" select="$advice"/>
          <xsl:with-param name="why" select="$why"/>
          <xsl:with-param name="item" select="$item"/>
        </xsl:apply-templates>
      </xsl:for-each>
    </xsl:for-each>
  </xsl:template>

  <!-- The data of a form (the context: its elements), for the digest of the
       carried block: each element that has a value, as its name, its
       attributes with a value (by name) and its text or its elements, in
       brackets; white space collapsed; comments, empty elements, the
       attributes xsi: and pep's line numbers left out. -->
  <xsl:template match="*" mode="form-data">
    <xsl:variable name="attrs" select="@*[normalize-space() != ''][namespace-uri() != $xsi-ns and namespace-uri() != $line-ns]"/>
    <xsl:if test="normalize-space() != '' or $attrs or descendant::*/@*[normalize-space() != ''][namespace-uri() != $xsi-ns and namespace-uri() != $line-ns]">
      <xsl:value-of select="concat(local-name(), '(')"/>
      <xsl:for-each select="$attrs">
        <xsl:sort select="local-name()"/>
        <xsl:value-of select="concat('@', local-name(), '=', normalize-space(), ';')"/>
      </xsl:for-each>
      <xsl:choose>
        <xsl:when test="*"><xsl:apply-templates select="*" mode="form-data"/></xsl:when>
        <xsl:otherwise><xsl:value-of select="normalize-space()"/></xsl:otherwise>
      </xsl:choose>
      <xsl:text>)</xsl:text>
    </xsl:if>
  </xsl:template>

  <!-- An element as it is: its name and namespace, attributes and content
       (without the namespace declarations a copy would bring along). -->
  <xsl:template match="*" mode="as-is">
    <xsl:element name="{local-name()}" namespace="{namespace-uri()}">
      <xsl:copy-of select="@*[namespace-uri() != $xsi-ns]"/>
      <xsl:apply-templates mode="as-is"/>
    </xsl:element>
  </xsl:template>
  <xsl:template match="text()" mode="as-is"><xsl:value-of select="."/></xsl:template>
  <xsl:template match="comment() | processing-instruction()" mode="as-is"/>

  <!-- One lost field (the context: an element or an attribute) at path, in
       the part unit, with what to do about it. -->
  <xsl:template name="lost">
    <xsl:param name="path"/>
    <xsl:param name="field"/>
    <xsl:param name="section"/>
    <xsl:param name="unit"/>
    <xsl:param name="advice"/>
    <xsl:param name="why" select="''"/>
    <xsl:param name="item" select="''"/>
    <xsl:element name="lost" namespace="{$report-ns}">
      <xsl:attribute name="section"><xsl:value-of select="$section"/></xsl:attribute>
      <xsl:attribute name="field"><xsl:value-of select="$field"/></xsl:attribute>
      <xsl:attribute name="path"><xsl:value-of select="$path"/></xsl:attribute>
      <xsl:attribute name="unit"><xsl:value-of select="$unit"/></xsl:attribute>
      <!-- The whole value (pep convert quotes it only when asked to). -->
      <xsl:attribute name="value"><xsl:value-of select="normalize-space(.)"/></xsl:attribute>
      <xsl:if test="$advice != ''"><xsl:attribute name="advice"><xsl:value-of select="$advice"/></xsl:attribute></xsl:if>
      <!-- Why a carried item is not put back (southwark-to-kent.xsl's template verdicts) ... -->
      <xsl:if test="$why != ''"><xsl:attribute name="why"><xsl:value-of select="$why"/></xsl:attribute></xsl:if>
      <!-- ... and the path of the carried item below the root, as it says. -->
      <xsl:if test="$item != ''"><xsl:attribute name="item"><xsl:value-of select="$item"/></xsl:attribute></xsl:if>
    </xsl:element>
  </xsl:template>

  <xsl:template name="missing-item">
    <xsl:param name="section"/>
    <xsl:param name="field"/>
    <xsl:param name="reason"/>
    <xsl:element name="missing" namespace="{$report-ns}">
      <xsl:attribute name="section"><xsl:value-of select="$section"/></xsl:attribute>
      <xsl:attribute name="field"><xsl:value-of select="$field"/></xsl:attribute>
      <xsl:attribute name="reason"><xsl:value-of select="$reason"/></xsl:attribute>
    </xsl:element>
  </xsl:template>
</xsl:stylesheet>
