<?xml version="1.0" encoding="UTF-8"?>
<!--
  kent-to-southwark.xsl: a PEP in the canonical (Kent, sections A-D) format, as
  schemas/pep.xsd describes it, to Southwark's PEP form (sections 1-4,
  schemas/southwark.xsd). Seed 001 §9: a Southwark child at a Kent school has a
  PEP on Kent's form, and Southwark must also hold it on its own form.

  XSLT 1.0, no extensions, no document(): it reads nothing but its input.
  pep convert applies it after validating the input against pep.xsd, and
  validates the result against southwark.xsd before writing it. Plain xsltproc
  gives the same bytes; the usage element below says how to run it.

  The loss report: with the parameter report=losses the stylesheet writes, in
  place of the Southwark form, the list of what the Southwark form cannot hold,
  and what it needs that the Kent PEP does not have:

  <conversionReport xmlns="https://pep-tool.org/ns/conversion-report/1" from="kent" to="southwark">
    <lost section="A" field="school/designatedTeacher/qualifiedTeacher" path="/pep/essentialInformation[1]/school[1]/designatedTeacher[1]/qualifiedTeacher[1]" value="yes"/>
    <missing section="3" field="conduct" reason="..."/>
  </conversionReport>

  `pep convert` prints the same items as "lost:" and "missing:" lines, with the
  line of each lost field found from its path. The list is complete by
  construction: every field of the input that has a value is lost unless a
  template in mode "carried" below says the Southwark form holds it, and says so
  exactly when converting back (southwark-to-kent.xsl) gives the same value at
  the same place. pep checks this on every conversion by converting back, and
  tests/e2e/test_convert.py on every sample.

  Which Southwark form (the root element):
    pepNoProvision  when the child has no educational provision (001 §8)
    pepReview       the shorter review form, when it holds everything the full form
                    would: a review PEP at a review meeting, with a school and no
                    previous-schools history to carry (001 §4)
    pep             otherwise; the year group in section 1 says which version.

  Duplicated in southwark-to-kent.xsl (each stylesheet stands alone, as pep applies
  it without reading any other file): the report templates at the end.
-->
<xsl:stylesheet version="1.0"
                xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:p="https://pep-tool.org/ns/pep/1"
                xmlns="https://pep-tool.org/ns/southwark/1"
                xmlns:doc="https://pep-tool.org/ns/doc"
                exclude-result-prefixes="p doc">

  <doc:usage>
    xsltproc stylesheets/kent-to-southwark.xsl pep.xml > southwark.xml
    xsltproc --stringparam report losses stylesheets/kent-to-southwark.xsl pep.xml
    pep convert --to southwark pep.xml -o southwark.xml
  </doc:usage>

  <xsl:output method="xml" encoding="UTF-8" indent="yes"/>
  <xsl:strip-space elements="*"/>

  <!-- '' (the default): write the Southwark form; 'losses': write the report. -->
  <xsl:param name="report" select="''"/>

  <xsl:variable name="report-ns" select="'https://pep-tool.org/ns/conversion-report/1'"/>
  <xsl:variable name="xsi-ns" select="'http://www.w3.org/2001/XMLSchema-instance'"/>

  <!-- ============================================================== -->
  <!-- What the conversion decides once                               -->
  <!-- ============================================================== -->

  <xsl:variable name="A" select="/p:pep/p:essentialInformation"/>
  <xsl:variable name="B" select="/p:pep/p:educationInformation"/>
  <xsl:variable name="C" select="/p:pep/p:youngPersonsViews"/>
  <xsl:variable name="D" select="/p:pep/p:pepMeeting"/>
  <xsl:variable name="hk" select="string(/p:pep/p:header/p:kind)"/>
  <xsl:variable name="mk" select="string($D/p:kind)"/>
  <xsl:variable name="yg" select="string($A/p:school/p:yearGroup | $A/p:noEducationalProvision/p:yearGroup)"/>

  <!-- The kind of PEP the year group implies (Southwark has one form per year). -->
  <xsl:variable name="age-kind">
    <xsl:choose>
      <xsl:when test="$yg = '12' or $yg = '13' or $yg = '14'">post-16</xsl:when>
      <xsl:when test="$yg = 'N1' or $yg = 'N2' or $yg = 'R'">early-years</xsl:when>
    </xsl:choose>
  </xsl:variable>

  <xsl:variable name="form">
    <xsl:choose>
      <xsl:when test="$A/p:noEducationalProvision">pepNoProvision</xsl:when>
      <xsl:when test="$mk = 'review' and $A/p:school and not($B/p:previousSchools)
                      and (($age-kind = '' and $hk = 'review') or ($age-kind != '' and $hk = $age-kind))">pepReview</xsl:when>
      <xsl:otherwise>pep</xsl:otherwise>
    </xsl:choose>
  </xsl:variable>

  <!-- Southwark's type of PEP: the meeting's kind, or the PEP's kind when the
       meeting's would not give the PEP's kind back. -->
  <xsl:variable name="type-of-mk">
    <xsl:call-template name="type-of"><xsl:with-param name="kind" select="$mk"/></xsl:call-template>
  </xsl:variable>
  <xsl:variable name="type-of-hk">
    <xsl:if test="$hk = 'initial' or $hk = 'review' or $hk = 'transition'">
      <xsl:call-template name="type-of"><xsl:with-param name="kind" select="$hk"/></xsl:call-template>
    </xsl:if>
  </xsl:variable>
  <xsl:variable name="pep-type">
    <xsl:choose>
      <xsl:when test="$form = 'pepReview'"/>
      <xsl:when test="$form = 'pepNoProvision' or $age-kind != ''"><xsl:value-of select="$type-of-mk"/></xsl:when>
      <xsl:when test="$type-of-mk != '' and ($hk = 'initial' and $type-of-mk = 'first'
                      or $hk = 'review' and ($type-of-mk = 'review' or $type-of-mk = 'extra')
                      or $hk = 'transition' and $type-of-mk = 'new-school')"><xsl:value-of select="$type-of-mk"/></xsl:when>
      <xsl:when test="$type-of-hk != ''"><xsl:value-of select="$type-of-hk"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="$type-of-mk"/></xsl:otherwise>
    </xsl:choose>
  </xsl:variable>

  <!-- What southwark-to-kent.xsl will give back for the two kinds. -->
  <xsl:variable name="kind-back">
    <xsl:choose>
      <xsl:when test="$form = 'pepNoProvision'">no-provision</xsl:when>
      <xsl:when test="$age-kind != ''"><xsl:value-of select="$age-kind"/></xsl:when>
      <xsl:when test="$form = 'pepReview'">review</xsl:when>
      <xsl:when test="$pep-type = 'first'">initial</xsl:when>
      <xsl:when test="$pep-type = 'review' or $pep-type = 'extra'">review</xsl:when>
      <xsl:when test="$pep-type = 'new-school'">transition</xsl:when>
    </xsl:choose>
  </xsl:variable>
  <xsl:variable name="meeting-kind-back">
    <xsl:choose>
      <xsl:when test="$form = 'pepReview'">review</xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="kind-of"><xsl:with-param name="type" select="$pep-type"/></xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:variable>

  <!-- initial, review, transition, extra -> first, review, new-school, extra. -->
  <xsl:template name="type-of">
    <xsl:param name="kind"/>
    <xsl:choose>
      <xsl:when test="$kind = 'initial'">first</xsl:when>
      <xsl:when test="$kind = 'transition'">new-school</xsl:when>
      <xsl:when test="$kind = 'review' or $kind = 'extra'"><xsl:value-of select="$kind"/></xsl:when>
    </xsl:choose>
  </xsl:template>

  <!-- The reverse: first, review, new-school, extra -> initial, review, transition, extra. -->
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
    <xsl:if test="not(p:pep)">
      <xsl:message terminate="yes">kent-to-southwark.xsl converts canonical PEPs (root element pep in namespace https://pep-tool.org/ns/pep/1); this document is not one</xsl:message>
    </xsl:if>
    <xsl:choose>
      <xsl:when test="$report = 'losses'"><xsl:call-template name="report"/></xsl:when>
      <xsl:otherwise><xsl:apply-templates select="p:pep"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="p:pep">
    <xsl:element name="{$form}">
      <xsl:call-template name="form"/>
      <xsl:call-template name="section-1"/>
      <xsl:call-template name="section-2"/>
      <xsl:call-template name="section-3"/>
      <xsl:call-template name="section-4"/>
      <xsl:apply-templates select="p:attachments" mode="copy"/>
    </xsl:element>
  </xsl:template>

  <xsl:template name="form">
    <xsl:variable name="h" select="p:header"/>
    <form>
      <lookedAfterBy code="{$h/p:localAuthority/@code}"><xsl:value-of select="$h/p:localAuthority"/></lookedAfterBy>
      <xsl:if test="$pep-type != ''"><pepType><xsl:value-of select="$pep-type"/></pepType></xsl:if>
      <xsl:for-each select="$h/p:formState"><status><xsl:value-of select="."/></status></xsl:for-each>
      <xsl:apply-templates select="$h/p:pepHistory" mode="copy"/>
      <xsl:apply-templates select="$D/p:signOff/p:upload" mode="copy"/>
    </form>
  </xsl:template>

  <!-- Section 1: the child's details. -->
  <xsl:template name="section-1">
    <childDetails>
      <xsl:apply-templates select="$A/p:personal | $A/p:care | $A/p:school | $A/p:noEducationalProvision | $A/p:health" mode="copy"/>
      <xsl:apply-templates select="$D/p:socialWorkerConfirmedSectionA" mode="copy"/>
      <xsl:apply-templates select="$D/p:signOff/p:sectionComplete[@section = 'A']" mode="copy"/>
    </childDetails>
  </xsl:template>

  <!-- Section 2: the summary of the meeting. -->
  <xsl:template name="section-2">
    <meetingSummary>
      <xsl:if test="$D/p:date | $D/p:startTime | $D/p:place | $D/p:chair">
        <meeting>
          <xsl:apply-templates select="$D/p:date | $D/p:startTime | $D/p:place | $D/p:chair" mode="copy"/>
        </meeting>
      </xsl:if>
      <xsl:apply-templates select="$D/p:attendees | $D/p:summary | $D/p:carersViews" mode="copy"/>
      <xsl:if test="$form = 'pepNoProvision'">
        <xsl:apply-templates select="$A/p:noEducationalProvision/p:reason | $A/p:noEducationalProvision/p:actionPlan" mode="copy"/>
      </xsl:if>
      <xsl:apply-templates select="$D/p:previousTargets | $D/p:targets | $D/p:actions | $D/p:nextMeeting" mode="copy"/>
      <xsl:apply-templates select="$D/p:signOff/p:sectionComplete[@section = 'D']" mode="copy"/>
    </meetingSummary>
  </xsl:template>

  <!-- Section 3: the school's information (the school's update on the review form). -->
  <xsl:template name="section-3">
    <xsl:variable name="name">
      <xsl:choose>
        <xsl:when test="$form = 'pepReview'">schoolUpdate</xsl:when>
        <xsl:otherwise>schoolInformation</xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:element name="{$name}">
      <xsl:apply-templates select="$B/p:attendance" mode="copy"/>
      <xsl:apply-templates select="$B/p:conduct" mode="copy"/>
      <!-- No conduct record in the PEP: left empty, and reported missing. -->
      <xsl:if test="not($B/p:conduct)"><conduct/></xsl:if>
      <xsl:apply-templates select="$B/p:reducedTimetable | $B/p:exclusions" mode="copy"/>
      <xsl:if test="$form != 'pepReview'">
        <xsl:apply-templates select="$B/p:previousSchools" mode="copy"/>
        <xsl:if test="not($B/p:previousSchools)"><previousSchools/></xsl:if>
      </xsl:if>
      <xsl:apply-templates select="$B/p:attainment | $B/p:sen | $B/p:extraSupport | $B/p:plan14to19 | $B/p:post16" mode="copy"/>
      <xsl:apply-templates select="$D/p:signOff/p:sectionComplete[@section = 'B']" mode="copy"/>
    </xsl:element>
  </xsl:template>

  <!-- Section 4: the child's view. -->
  <xsl:template name="section-4">
    <childsView>
      <xsl:apply-templates select="$C/*" mode="copy"/>
      <xsl:apply-templates select="$D/p:signOff/p:sectionComplete[@section = 'C']" mode="copy"/>
    </childsView>
  </xsl:template>

  <!-- ============================================================== -->
  <!-- Mode copy: an element to the element of the same name in the   -->
  <!-- Southwark namespace, unless a template below renames or drops  -->
  <!-- it. Attributes are copied only where a template says so.       -->
  <!-- ============================================================== -->

  <xsl:template match="*" mode="copy">
    <xsl:element name="{local-name()}"><xsl:apply-templates mode="copy"/></xsl:element>
  </xsl:template>

  <!-- Renamed to <as>, content converted. -->
  <xsl:template name="as">
    <xsl:param name="as"/>
    <xsl:element name="{$as}"><xsl:apply-templates mode="copy"/></xsl:element>
  </xsl:template>

  <xsl:template match="p:pepHistory" mode="copy">
    <previousPeps><xsl:apply-templates mode="copy"/></previousPeps>
  </xsl:template>
  <xsl:template match="p:previousMeeting" mode="copy">
    <previousPep><xsl:apply-templates mode="copy"/></previousPep>
  </xsl:template>
  <xsl:template match="p:previousMeeting/p:kind" mode="copy">
    <type><xsl:call-template name="type-of"><xsl:with-param name="kind" select="string(.)"/></xsl:call-template></type>
  </xsl:template>
  <xsl:template match="p:upload" mode="copy">
    <enteredOnIcs><xsl:apply-templates mode="copy"/></enteredOnIcs>
  </xsl:template>

  <xsl:template match="p:personal" mode="copy">
    <child><xsl:apply-templates mode="copy"/></child>
  </xsl:template>
  <xsl:template match="p:legalName" mode="copy">
    <xsl:apply-templates mode="copy"/>
  </xsl:template>
  <xsl:template match="p:givenNames" mode="copy">
    <forenames><xsl:value-of select="."/></forenames>
  </xsl:template>
  <xsl:template match="p:familyName" mode="copy">
    <surname><xsl:value-of select="."/></surname>
  </xsl:template>
  <xsl:template match="p:preferredName" mode="copy">
    <knownAs><xsl:value-of select="."/></knownAs>
  </xsl:template>
  <xsl:template match="p:laChildId" mode="copy">
    <childId><xsl:value-of select="."/></childId>
  </xsl:template>
  <xsl:template match="p:becameLookedAfter" mode="copy">
    <dateBecameLookedAfter><xsl:value-of select="."/></dateBecameLookedAfter>
  </xsl:template>
  <xsl:template match="p:schoolLocalAuthority" mode="copy">
    <localAuthority>
      <xsl:for-each select="@code"><xsl:attribute name="code"><xsl:value-of select="."/></xsl:attribute></xsl:for-each>
      <xsl:value-of select="."/>
    </localAuthority>
  </xsl:template>
  <xsl:template match="p:noEducationalProvision" mode="copy">
    <noProvision><xsl:apply-templates select="p:yearGroup | p:since | p:currentSituation" mode="copy"/></noProvision>
  </xsl:template>
  <xsl:template match="p:noEducationalProvision/p:reason" mode="copy">
    <whyNoProvision><xsl:value-of select="."/></whyNoProvision>
  </xsl:template>
  <xsl:template match="p:socialWorkerConfirmedSectionA" mode="copy">
    <checkedBySocialWorker><xsl:value-of select="."/></checkedBySocialWorker>
  </xsl:template>
  <xsl:template match="p:sectionComplete" mode="copy">
    <completed><xsl:apply-templates mode="copy"/></completed>
  </xsl:template>

  <xsl:template match="p:pepMeeting/p:startTime" mode="copy">
    <time><xsl:value-of select="."/></time>
  </xsl:template>
  <xsl:template match="p:attendees" mode="copy">
    <present><xsl:apply-templates mode="copy"/></present>
  </xsl:template>
  <xsl:template match="p:attendee" mode="copy">
    <person><xsl:apply-templates mode="copy"/></person>
  </xsl:template>
  <xsl:template match="p:carersViews" mode="copy">
    <carersView><xsl:value-of select="."/></carersView>
  </xsl:template>
  <xsl:template match="p:previousTargets" mode="copy">
    <reviewOfTargets><xsl:apply-templates mode="copy"/></reviewOfTargets>
  </xsl:template>
  <xsl:template match="p:targets" mode="copy">
    <!-- Southwark agrees 1 to 3 targets (001 §7); a fourth is lost. -->
    <targets><xsl:apply-templates select="p:target[position() &lt;= 3]" mode="copy"/></targets>
  </xsl:template>
  <xsl:template match="p:target/p:description" mode="copy">
    <description><xsl:value-of select="."/></description>
  </xsl:template>
  <xsl:template match="p:target/p:baseline" mode="copy">
    <startingPoint><xsl:value-of select="."/></startingPoint>
  </xsl:template>
  <xsl:template match="p:target/p:deadline" mode="copy">
    <byWhen><xsl:value-of select="."/></byWhen>
  </xsl:template>
  <xsl:template match="p:nextMeeting" mode="copy">
    <nextPep><xsl:apply-templates mode="copy"/></nextPep>
  </xsl:template>

  <xsl:template match="p:reducedTimetable" mode="copy">
    <timetable><xsl:apply-templates mode="copy"/></timetable>
  </xsl:template>
  <xsl:template match="p:reducedTimetable/p:inPlace" mode="copy">
    <reduced><xsl:value-of select="."/></reduced>
  </xsl:template>
  <xsl:template match="p:previousSchools" mode="copy">
    <previousSchools>
      <xsl:for-each select="@none"><xsl:attribute name="none"><xsl:value-of select="."/></xsl:attribute></xsl:for-each>
      <xsl:apply-templates mode="copy"/>
    </previousSchools>
  </xsl:template>
  <xsl:template match="p:plan14to19" mode="copy">
    <futurePlan><xsl:apply-templates mode="copy"/></futurePlan>
  </xsl:template>

  <xsl:template match="p:wantsFromMeeting" mode="copy">
    <wantsToSay><xsl:value-of select="."/></wantsToSay>
  </xsl:template>
  <xsl:template match="p:completedWith" mode="copy">
    <talkedWith><xsl:apply-templates mode="copy"/></talkedWith>
  </xsl:template>
  <xsl:template match="p:nominatedAdult" mode="copy">
    <speaksForMe><xsl:apply-templates mode="copy"/></speaksForMe>
  </xsl:template>

  <xsl:template match="p:attachments" mode="copy">
    <scannedDocuments><xsl:apply-templates mode="copy"/></scannedDocuments>
  </xsl:template>
  <xsl:template match="p:attachment" mode="copy">
    <document><xsl:apply-templates mode="copy"/></document>
  </xsl:template>

  <!-- Fields Southwark's form has no place for (each is reported lost). -->
  <xsl:template mode="copy" match="p:designatedTeacher/p:qualifiedTeacher
                                   | p:senPupilViewFormUsed | p:choseToChair"/>

  <!-- ============================================================== -->
  <!-- The loss report: mode carried says which fields Southwark's    -->
  <!-- form holds. Everything else with a value is lost.              -->
  <!-- ============================================================== -->

  <xsl:template mode="carried" priority="1" match="
      p:header/p:localAuthority | p:header/p:localAuthority/@code | p:header/p:formState
      | p:pepHistory//*
      | p:essentialInformation//* | p:schoolLocalAuthority/@code
      | p:educationInformation//* | p:previousSchools/@none
      | p:youngPersonsViews//*
      | p:pepMeeting/p:date | p:pepMeeting/p:startTime | p:pepMeeting/p:place | p:pepMeeting/p:chair
      | p:attendees//* | p:socialWorkerConfirmedSectionA | p:pepMeeting/p:summary | p:carersViews
      | p:previousTargets//* | p:targets//* | p:actions//* | p:nextMeeting//*
      | p:signOff/p:upload//*
      | p:attachments//*"/>

  <!-- Carried only while converting back gives the same kind. -->
  <xsl:template mode="carried" priority="2" match="p:header/p:kind">
    <xsl:if test=". != $kind-back"><xsl:call-template name="lost"/></xsl:if>
  </xsl:template>
  <xsl:template mode="carried" priority="2" match="p:pepMeeting/p:kind">
    <xsl:if test=". != $meeting-kind-back"><xsl:call-template name="lost"/></xsl:if>
  </xsl:template>

  <!-- Each section's completion is carried with its section, and comes back
       in the order A, B, C, D: a field is carried when the completion that
       comes back at its place has the same value there. -->
  <xsl:template mode="carried" priority="2" match="p:sectionComplete/* | p:sectionComplete/@section">
    <xsl:variable name="me" select="."/>
    <xsl:variable name="place" select="count(../preceding-sibling::p:sectionComplete)"/>
    <xsl:variable name="back">
      <xsl:for-each select="../../p:sectionComplete">
        <xsl:if test="count(../p:sectionComplete[translate(@section, 'ABCD', '1234')
                      &lt; translate(current()/@section, 'ABCD', '1234')]) = $place">
          <xsl:value-of select="(@*[local-name() = local-name($me)] | *[local-name() = local-name($me)])[1]"/>
        </xsl:if>
      </xsl:for-each>
    </xsl:variable>
    <xsl:if test="string($back) != string($me)"><xsl:call-template name="lost"/></xsl:if>
  </xsl:template>

  <!-- Lost although in a carried part. -->
  <xsl:template mode="carried" priority="3" match="
      p:designatedTeacher/p:qualifiedTeacher
      | p:senPupilViewFormUsed | p:choseToChair
      | p:targets/p:target[position() > 3]//* | p:target/p:description/@words">
    <xsl:call-template name="lost"/>
  </xsl:template>

  <xsl:template mode="carried" priority="-10" match="*|@*">
    <xsl:call-template name="lost"/>
  </xsl:template>

  <!-- What Southwark's form needs and the Kent PEP does not have. -->
  <xsl:template name="missing">
    <xsl:if test="normalize-space($B/p:conduct) = ''">
      <xsl:call-template name="missing-item">
        <xsl:with-param name="section">3</xsl:with-param>
        <xsl:with-param name="field">conduct</xsl:with-param>
        <xsl:with-param name="reason">the PEP has no conduct record: ask the school for it (Southwark procedure 3.5.2 §4)</xsl:with-param>
      </xsl:call-template>
    </xsl:if>
    <xsl:if test="$form != 'pepReview' and $pep-type = ''">
      <xsl:call-template name="missing-item">
        <xsl:with-param name="section">form</xsl:with-param>
        <xsl:with-param name="field">pepType</xsl:with-param>
        <xsl:with-param name="reason">the Kent PEP does not say whether this is a first, review or new-school PEP (Southwark procedure 3.5.2 §2): fill it in</xsl:with-param>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>

  <xsl:template name="section-of">
    <xsl:param name="top"/>
    <xsl:choose>
      <xsl:when test="$top = 'essentialInformation'">A</xsl:when>
      <xsl:when test="$top = 'educationInformation'">B</xsl:when>
      <xsl:when test="$top = 'youngPersonsViews'">C</xsl:when>
      <xsl:when test="$top = 'pepMeeting'">D</xsl:when>
      <xsl:otherwise><xsl:value-of select="$top"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ============================================================== -->
  <!-- Report templates (the same in southwark-to-kent.xsl)           -->
  <!-- ============================================================== -->

  <xsl:template name="report">
    <xsl:element name="conversionReport" namespace="{$report-ns}">
      <xsl:attribute name="from">kent</xsl:attribute>
      <xsl:attribute name="to">southwark</xsl:attribute>
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
