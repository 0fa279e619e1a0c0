<?xml version="1.0" encoding="UTF-8"?>
<!--
  southwark-to-kent.xsl: a PEP on Southwark's form (sections 1-4,
  schemas/southwark.xsd) to the canonical (Kent, sections A-D) format
  (schemas/pep.xsd). Seed 001 §9 the other way round: a PEP written on
  Southwark's form, needed on Kent's.

  XSLT 1.0, no extensions, no document(): it reads nothing but its input.
  pep convert applies it after validating the input against southwark.xsd,
  and validates the result against pep.xsd before writing it. Plain xsltproc
  gives the same bytes; the usage element below says how to run it.

  The result names the LA that looks after the child (the form's lookedAfterBy,
  southwark for Southwark's own children), so `pep validate` checks it with
  that LA's rules. The canonical kind of PEP comes from the form (no provision),
  the year group (early years, post-16) or Southwark's type of PEP; the meeting's
  kind from Southwark's type of PEP.

  The loss report: with the parameter report=losses the stylesheet writes, in
  place of the Kent PEP, the list of what the Kent form cannot hold, and what it
  needs that the Southwark form does not have:

  <conversionReport xmlns="https://pep-tool.org/ns/conversion-report/1" from="southwark" to="kent">
    <lost section="4" field="talkedWith" path="/pep/childsView[1]/talkedWith[1]" value="..."/>
    <missing section="A" field="school/designatedTeacher/qualifiedTeacher" reason="..."/>
  </conversionReport>

  `pep convert` prints the same items as "lost:" and "missing:" lines, with the
  line of each lost field found from its path. The list is complete by
  construction: every field of the input that has a value is lost unless a
  template in mode "carried" below says the Kent form holds it, and says so
  exactly when converting back (kent-to-southwark.xsl) gives the same value at
  the same place. pep checks this on every conversion by converting back, and
  tests/e2e/test_convert.py on every sample.

  Duplicated in kent-to-southwark.xsl (each stylesheet stands alone, as pep applies
  it without reading any other file): the report templates at the end.
-->
<xsl:stylesheet version="1.0"
                xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:s="https://pep-tool.org/ns/southwark/1"
                xmlns="https://pep-tool.org/ns/pep/1"
                xmlns:doc="https://pep-tool.org/ns/doc"
                exclude-result-prefixes="s doc">

  <doc:usage>
    xsltproc stylesheets/southwark-to-kent.xsl southwark.xml > pep.xml
    xsltproc --stringparam report losses stylesheets/southwark-to-kent.xsl southwark.xml
    pep convert --to kent southwark.xml -o pep.xml
  </doc:usage>

  <xsl:output method="xml" encoding="UTF-8" indent="yes"/>
  <xsl:strip-space elements="*"/>

  <!-- '' (the default): write the Kent PEP; 'losses': write the report. -->
  <xsl:param name="report" select="''"/>

  <xsl:variable name="report-ns" select="'https://pep-tool.org/ns/conversion-report/1'"/>
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

  <xsl:template name="pep">
    <pep>
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
      <localAuthority code="{$la}"><xsl:value-of select="$f/s:lookedAfterBy"/></localAuthority>
      <!-- Empty (and so not valid) only when the form does not say the type of
           PEP: reported missing, never guessed. -->
      <kind><xsl:value-of select="$kind"/></kind>
      <xsl:for-each select="$f/s:status"><formState><xsl:value-of select="."/></formState></xsl:for-each>
      <xsl:apply-templates select="$f/s:previousPeps" mode="copy"/>
    </header>
  </xsl:template>

  <!-- Section A: essential information, from section 1. -->
  <xsl:template name="section-a">
    <essentialInformation>
      <xsl:apply-templates select="$S1/s:child | $S1/s:care | $S1/s:school | $S1/s:noProvision | $S1/s:health" mode="copy"/>
    </essentialInformation>
  </xsl:template>

  <!-- Section B: education information, from section 3. -->
  <xsl:template name="section-b">
    <educationInformation>
      <xsl:apply-templates select="$S3/s:attendance | $S3/s:conduct | $S3/s:timetable | $S3/s:exclusions | $S3/s:previousSchools
                                   | $S3/s:attainment | $S3/s:sen | $S3/s:extraSupport | $S3/s:futurePlan | $S3/s:post16"
                           mode="copy"/>
    </educationInformation>
  </xsl:template>

  <!-- Section C: the young person's views, from section 4. -->
  <xsl:template name="section-c">
    <youngPersonsViews>
      <xsl:apply-templates select="$S4/*[not(self::s:completed)]" mode="copy"/>
    </youngPersonsViews>
  </xsl:template>

  <!-- Section D: the meeting, from section 2, with the completion of every section. -->
  <xsl:template name="section-d">
    <pepMeeting>
      <xsl:apply-templates select="$S2/s:meeting/*" mode="copy"/>
      <xsl:if test="string($pep-type) != ''">
        <kind><xsl:call-template name="kind-of"><xsl:with-param name="type" select="string($pep-type)"/></xsl:call-template></kind>
      </xsl:if>
      <xsl:apply-templates select="$S2/s:present" mode="copy"/>
      <xsl:apply-templates select="$S1/s:checkedBySocialWorker" mode="copy"/>
      <xsl:apply-templates select="$S2/s:summary | $S2/s:carersView | $S2/s:reviewOfTargets | $S2/s:targets
                                   | $S2/s:actions | $S2/s:nextPep" mode="copy"/>
      <xsl:variable name="done" select="$S1/s:completed | $S3/s:completed | $S4/s:completed | $S2/s:completed"/>
      <xsl:if test="$done or $root/s:form/s:enteredOnIcs">
        <signOff>
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
    <sectionComplete section="{$section}"><xsl:apply-templates mode="copy"/></sectionComplete>
  </xsl:template>

  <!-- ============================================================== -->
  <!-- Mode copy: an element to the element of the same name in the   -->
  <!-- canonical namespace, unless a template below renames or drops  -->
  <!-- it. Attributes are copied only where a template says so.       -->
  <!-- ============================================================== -->

  <xsl:template match="*" mode="copy">
    <xsl:element name="{local-name()}"><xsl:apply-templates mode="copy"/></xsl:element>
  </xsl:template>

  <xsl:template match="s:previousPeps" mode="copy">
    <pepHistory><xsl:apply-templates mode="copy"/></pepHistory>
  </xsl:template>
  <xsl:template match="s:previousPep" mode="copy">
    <previousMeeting><xsl:apply-templates mode="copy"/></previousMeeting>
  </xsl:template>
  <xsl:template match="s:previousPep/s:type" mode="copy">
    <kind><xsl:call-template name="kind-of"><xsl:with-param name="type" select="string(.)"/></xsl:call-template></kind>
  </xsl:template>
  <xsl:template match="s:enteredOnIcs" mode="copy">
    <upload><xsl:apply-templates mode="copy"/></upload>
  </xsl:template>

  <xsl:template match="s:child" mode="copy">
    <personal>
      <xsl:if test="s:forenames | s:surname">
        <legalName><xsl:apply-templates select="s:forenames | s:surname" mode="copy"/></legalName>
      </xsl:if>
      <xsl:apply-templates select="*[not(self::s:forenames or self::s:surname)]" mode="copy"/>
    </personal>
  </xsl:template>
  <xsl:template match="s:forenames" mode="copy">
    <givenNames><xsl:value-of select="."/></givenNames>
  </xsl:template>
  <xsl:template match="s:surname" mode="copy">
    <familyName><xsl:value-of select="."/></familyName>
  </xsl:template>
  <xsl:template match="s:knownAs" mode="copy">
    <preferredName><xsl:value-of select="."/></preferredName>
  </xsl:template>
  <xsl:template match="s:childId" mode="copy">
    <laChildId><xsl:value-of select="."/></laChildId>
  </xsl:template>
  <xsl:template match="s:care" mode="copy">
    <care>
      <xsl:apply-templates select="s:dateBecameLookedAfter" mode="copy"/>
      <xsl:apply-templates select="*[not(self::s:dateBecameLookedAfter)]" mode="copy"/>
    </care>
  </xsl:template>
  <xsl:template match="s:dateBecameLookedAfter" mode="copy">
    <becameLookedAfter><xsl:value-of select="."/></becameLookedAfter>
  </xsl:template>
  <xsl:template match="s:school/s:localAuthority" mode="copy">
    <schoolLocalAuthority>
      <xsl:for-each select="@code"><xsl:attribute name="code"><xsl:value-of select="."/></xsl:attribute></xsl:for-each>
      <xsl:value-of select="."/>
    </schoolLocalAuthority>
  </xsl:template>
  <xsl:template match="s:designatedTeacher" mode="copy">
    <designatedTeacher>
      <xsl:apply-templates mode="copy"/>
      <!-- Not on Southwark's form: left empty, and reported missing. -->
      <qualifiedTeacher/>
    </designatedTeacher>
  </xsl:template>
  <xsl:template match="s:noProvision" mode="copy">
    <noEducationalProvision>
      <xsl:apply-templates select="s:yearGroup | s:since" mode="copy"/>
      <xsl:apply-templates select="$S2/s:whyNoProvision | $S2/s:actionPlan" mode="copy"/>
      <xsl:apply-templates select="s:currentSituation" mode="copy"/>
    </noEducationalProvision>
  </xsl:template>
  <xsl:template match="s:whyNoProvision" mode="copy">
    <reason><xsl:value-of select="."/></reason>
  </xsl:template>
  <xsl:template match="s:checkedBySocialWorker" mode="copy">
    <socialWorkerConfirmedSectionA><xsl:value-of select="."/></socialWorkerConfirmedSectionA>
  </xsl:template>

  <xsl:template match="s:meeting/s:time" mode="copy">
    <startTime><xsl:value-of select="."/></startTime>
  </xsl:template>
  <xsl:template match="s:present" mode="copy">
    <attendees><xsl:apply-templates mode="copy"/></attendees>
  </xsl:template>
  <xsl:template match="s:person" mode="copy">
    <attendee><xsl:apply-templates mode="copy"/></attendee>
  </xsl:template>
  <xsl:template match="s:carersView" mode="copy">
    <carersViews><xsl:value-of select="."/></carersViews>
  </xsl:template>
  <xsl:template match="s:reviewOfTargets" mode="copy">
    <previousTargets><xsl:apply-templates mode="copy"/></previousTargets>
  </xsl:template>
  <xsl:template match="s:target/s:startingPoint" mode="copy">
    <baseline><xsl:value-of select="."/></baseline>
  </xsl:template>
  <xsl:template match="s:target/s:byWhen" mode="copy">
    <deadline><xsl:value-of select="."/></deadline>
  </xsl:template>
  <xsl:template match="s:nextPep" mode="copy">
    <nextMeeting><xsl:apply-templates mode="copy"/></nextMeeting>
  </xsl:template>

  <xsl:template match="s:timetable" mode="copy">
    <reducedTimetable><xsl:apply-templates mode="copy"/></reducedTimetable>
  </xsl:template>
  <xsl:template match="s:timetable/s:reduced" mode="copy">
    <inPlace><xsl:value-of select="."/></inPlace>
  </xsl:template>
  <xsl:template match="s:previousSchools" mode="copy">
    <previousSchools>
      <xsl:for-each select="@none"><xsl:attribute name="none"><xsl:value-of select="."/></xsl:attribute></xsl:for-each>
      <xsl:apply-templates mode="copy"/>
    </previousSchools>
  </xsl:template>
  <xsl:template match="s:futurePlan" mode="copy">
    <plan14to19><xsl:apply-templates mode="copy"/></plan14to19>
  </xsl:template>

  <xsl:template match="s:wantsToSay" mode="copy">
    <wantsFromMeeting><xsl:value-of select="."/></wantsFromMeeting>
  </xsl:template>
  <xsl:template match="s:talkedWith" mode="copy">
    <completedWith><xsl:apply-templates mode="copy"/></completedWith>
  </xsl:template>
  <xsl:template match="s:speaksForMe" mode="copy">
    <nominatedAdult><xsl:apply-templates mode="copy"/></nominatedAdult>
  </xsl:template>

  <xsl:template match="s:scannedDocuments" mode="copy">
    <attachments><xsl:apply-templates mode="copy"/></attachments>
  </xsl:template>
  <xsl:template match="s:document" mode="copy">
    <attachment><xsl:apply-templates mode="copy"/></attachment>
  </xsl:template>

  <!-- ============================================================== -->
  <!-- The loss report: mode carried says which fields the Kent form  -->
  <!-- holds. Everything else with a value is lost.                   -->
  <!-- ============================================================== -->

  <xsl:template mode="carried" priority="1" match="
      s:form//* | s:lookedAfterBy/@code
      | s:childDetails//* | s:school/s:localAuthority/@code
      | s:meetingSummary//*
      | s:schoolInformation//* | s:schoolUpdate//* | s:previousSchools/@none
      | s:childsView//*
      | s:scannedDocuments//*"/>

  <xsl:template mode="carried" priority="-10" match="*|@*">
    <xsl:call-template name="lost"/>
  </xsl:template>

  <!-- What the Kent form needs and Southwark's form does not have. -->
  <xsl:template name="missing">
    <xsl:if test="string($kind) = ''">
      <xsl:call-template name="missing-item">
        <xsl:with-param name="section">header</xsl:with-param>
        <xsl:with-param name="field">kind</xsl:with-param>
        <xsl:with-param name="reason">the Southwark form does not say whether this is a first, review or new-school PEP (form/pepType), and the Kent form needs the kind of PEP: fill it in</xsl:with-param>
      </xsl:call-template>
    </xsl:if>
    <xsl:if test="$S1/s:care and normalize-space($S1/s:care/s:placement) = ''">
      <xsl:call-template name="missing-item">
        <xsl:with-param name="section">A</xsl:with-param>
        <xsl:with-param name="field">care/placement</xsl:with-param>
        <xsl:with-param name="reason">the form does not record whether the placement was planned (rule A02; Kent's initial-PEP deadline depends on it, rule T01): fill it in</xsl:with-param>
      </xsl:call-template>
    </xsl:if>
    <xsl:if test="$S1/s:school/s:designatedTeacher">
      <xsl:call-template name="missing-item">
        <xsl:with-param name="section">A</xsl:with-param>
        <xsl:with-param name="field">school/designatedTeacher/qualifiedTeacher</xsl:with-param>
        <xsl:with-param name="reason">Southwark's form does not say whether the designated teacher is a qualified teacher (rule D11)</xsl:with-param>
      </xsl:call-template>
    </xsl:if>
    <xsl:if test="$la = 'kent' or $la = 'kirklees'">
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
  <!-- Report templates (the same in kent-to-southwark.xsl)           -->
  <!-- ============================================================== -->

  <xsl:template name="report">
    <xsl:element name="conversionReport" namespace="{$report-ns}">
      <xsl:attribute name="from">southwark</xsl:attribute>
      <xsl:attribute name="to">kent</xsl:attribute>
      <xsl:apply-templates mode="carried"
          select="//*[not(*)][normalize-space()] | //@*[normalize-space()][namespace-uri() != $xsi-ns]"/>
      <xsl:call-template name="missing"/>
    </xsl:element>
  </xsl:template>

  <!-- One lost field: the context node (an element or an attribute). -->
  <xsl:template name="lost">
    <xsl:element name="lost" namespace="{$report-ns}">
      <xsl:attribute name="section">
        <xsl:call-template name="section-of">
          <xsl:with-param name="top" select="local-name(ancestor-or-self::*[count(ancestor::*) = 1])"/>
        </xsl:call-template>
      </xsl:attribute>
      <xsl:attribute name="field">
        <!-- The path below the section, [n] where a name repeats. -->
        <xsl:for-each select="ancestor-or-self::*[count(ancestor::*) > 1]">
          <xsl:if test="position() > 1">/</xsl:if>
          <xsl:value-of select="local-name()"/>
          <xsl:if test="count(../*[local-name() = local-name(current())]) > 1">
            <xsl:value-of select="concat('[', count(preceding-sibling::*[local-name() = local-name(current())]) + 1, ']')"/>
          </xsl:if>
        </xsl:for-each>
        <xsl:if test="not(self::*)">
          <xsl:if test="count(ancestor::*) > 1">/</xsl:if>
          <xsl:value-of select="concat('@', local-name())"/>
        </xsl:if>
      </xsl:attribute>
      <xsl:attribute name="path">
        <!-- The full path, every step numbered, for finding the line. -->
        <xsl:for-each select="ancestor-or-self::*">
          <xsl:value-of select="concat('/', local-name())"/>
          <xsl:if test="parent::*">
            <xsl:value-of select="concat('[', count(preceding-sibling::*[local-name() = local-name(current())]) + 1, ']')"/>
          </xsl:if>
        </xsl:for-each>
        <xsl:if test="not(self::*)"><xsl:value-of select="concat('/@', local-name())"/></xsl:if>
      </xsl:attribute>
      <xsl:attribute name="value">
        <!-- Children's data: no more of the value than identifies it. -->
        <xsl:variable name="v" select="normalize-space(.)"/>
        <xsl:choose>
          <xsl:when test="string-length($v) > 40"><xsl:value-of select="concat(substring($v, 1, 40), '…')"/></xsl:when>
          <xsl:otherwise><xsl:value-of select="$v"/></xsl:otherwise>
        </xsl:choose>
      </xsl:attribute>
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
