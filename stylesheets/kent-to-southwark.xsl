<?xml version="1.0" encoding="UTF-8"?>
<!--
  kent-to-southwark.xsl: a PEP in the canonical (Kent, sections A-D) format, as
  schemas/pep.xsd describes it, to Southwark's PEP form (sections 1-4,
  schemas/southwark.xsd). Seed 001 §9: a Southwark child at a Kent school has a
  PEP on Kent's form, and Southwark must also hold it on its own form.

  XSLT 1.0 with two EXSLT functions (exsl:node-set, which xsltproc and every
  XSLT 1.0 processor in use provide, and crypto:sha1, which libexslt has when
  built with libgcrypt, as Debian's, Ubuntu's and Fedora's are), no
  document(): it reads nothing but its input. pep convert applies it after
  validating the input against pep.xsd,
  and validates the result against southwark.xsd before writing it. Plain
  xsltproc gives the same bytes; the usage element below says how to run it.

  Nothing is lost: what Southwark's form has no place for goes, as it is, into
  the carried block at the end of the form (schemas/southwark.xsd allows it
  there), from which southwark-to-kent.xsl puts it back:

  <carried xmlns="https://pep-tool.org/ns/pep-carried/1" format="https://pep-tool.org/ns/pep/1" digest="...">
    <element parent="/pep/header[1]" path="/pep/header[1]/stateHistory[1]" after=" localAuthority kind formState "
             bound="form">
      <stateHistory xmlns="https://pep-tool.org/ns/pep/1">...</stateHistory>
    </element>
    <attribute parent="/pep/pepMeeting[1]/targets[1]/target[1]/description[1]" name="words"
               owner="/pep/pepMeeting[1]/targets[1]/target[1]/description[1]" fp="...">child</attribute>
  </carried>

  Each part is bound to what it belongs to on the form, so that a form
  edited after the conversion never gets a value that was true of something
  else: owner is the element it belongs to (its parent; for a part of the
  meeting, the meeting's date) and fp the SHA-1 of that element's fields;
  the workflow history and the quality assurance certify the whole PEP
  (bound="form"), and digest is the SHA-1 of the form's data. Converting back
  puts a part back only while they are unchanged, and reports the others.
  The fingerprints detect changes, not forgery: someone who can edit the
  file can change anything in it.

  With the parameter carry=no (pep convert - -strict-form) the block is left
  out, for a system that takes nothing but the form.

  The loss report: with the parameter report=losses the stylesheet writes, in
  place of the Southwark form, the list of what the Southwark form has no place
  for (carried, or with carry=no lost), each field with the part it belongs to
  (unit: what is carried as one), and what it needs that the Kent PEP does not
  have:

  <conversionReport xmlns="https://pep-tool.org/ns/conversion-report/1" from="kent" to="southwark">
    <lost section="header" field="stateHistory/change[1]/state" path="/pep/header[1]/stateHistory[1]/change[1]/state[1]"
          unit="/pep/header[1]/stateHistory[1]" value="draft"/>
    <missing section="3" field="conduct" reason="..."/>
  </conversionReport>

  pep convert groups the items by part and prints them in the words of the
  schema (its xs:appinfo labels), with the lines of each field found from its
  path; the values only when asked. The list is complete by construction: every
  element and attribute of the input is lost unless the key "held" below names
  it (or a template of mode "fate" says the Southwark form holds it), and says
  so exactly when converting back (southwark-to-kent.xsl) gives the same value
  at the same place. pep checks this on every conversion by converting back,
  and tests/e2e/test_convert.py on every sample.

  Which Southwark form (the root element):
    pepNoProvision  when the child has no educational provision (001 §8)
    pepReview       the shorter review form, when it holds everything the full form
                    would: a review PEP at a review meeting, with a school and no
                    previous-schools history to carry (001 §4)
    pep             otherwise; the year group in section 1 says which version.

  Duplicated in southwark-to-kent.xsl (each stylesheet stands alone, as pep applies
  it without reading any other file): the templates of the carried block and
  the report at the end.
-->
<xsl:stylesheet version="1.0"
                xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:p="https://pep-tool.org/ns/pep/1"
                xmlns="https://pep-tool.org/ns/southwark/1"
                xmlns:doc="https://pep-tool.org/ns/doc"
                xmlns:exsl="http://exslt.org/common"
                xmlns:crypto="http://exslt.org/crypto"
                exclude-result-prefixes="p doc exsl crypto">

  <doc:usage>
    xsltproc stylesheets/kent-to-southwark.xsl pep.xml > southwark.xml
    xsltproc --stringparam carry no stylesheets/kent-to-southwark.xsl pep.xml > southwark.xml
    xsltproc --stringparam report losses stylesheets/kent-to-southwark.xsl pep.xml
    pep convert --to southwark pep.xml -o southwark.xml
    pep convert --to southwark --strict-form pep.xml -o southwark.xml
  </doc:usage>

  <xsl:output method="xml" encoding="UTF-8" indent="yes"/>
  <xsl:strip-space elements="*"/>

  <!-- '' (the default): write the Southwark form; 'losses': write the report. -->
  <xsl:param name="report" select="''"/>
  <!-- 'yes' (the default): carry what the form has no place for in the
       carried block; 'no': write only what the form holds (pep convert
       - -strict-form). -->
  <xsl:param name="carry" select="'yes'"/>

  <xsl:variable name="from" select="'kent'"/>
  <xsl:variable name="to" select="'southwark'"/>
  <xsl:variable name="report-ns" select="'https://pep-tool.org/ns/conversion-report/1'"/>
  <xsl:variable name="carried-ns" select="'https://pep-tool.org/ns/pep-carried/1'"/>
  <!-- Attributes pep adds in memory to know each element's line; never in a file. -->
  <xsl:variable name="line-ns" select="'https://pep-tool.org/ns/source-line/1'"/>
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
    <!-- The form first, so that the carried block can say what it said. -->
    <xsl:variable name="body">
      <xsl:call-template name="form"/>
      <xsl:call-template name="section-1"/>
      <xsl:call-template name="section-2"/>
      <xsl:call-template name="section-3"/>
      <xsl:call-template name="section-4"/>
      <xsl:apply-templates select="p:attachments" mode="copy"/>
    </xsl:variable>
    <xsl:element name="{$form}">
      <xsl:copy-of select="$body"/>
      <xsl:if test="$carry != 'no'">
        <xsl:call-template name="carried"><xsl:with-param name="body" select="exsl:node-set($body)/*"/></xsl:call-template>
      </xsl:if>
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
      <!-- No conduct record in the PEP: left out (an empty one would come
           back as an empty heading), and reported missing. -->
      <xsl:apply-templates select="$B/p:conduct" mode="copy"/>
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
    <xsl:if test="key('held', generate-id()) or key('judged', generate-id())">
      <xsl:element name="{local-name()}"><xsl:apply-templates mode="copy"/></xsl:element>
    </xsl:if>
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

  <!-- Fields Southwark's form has no place for (each is carried, or reported lost). -->
  <xsl:template mode="copy" match="p:designatedTeacher/p:qualifiedTeacher
                                   | p:senPupilViewFormUsed | p:choseToChair"/>

  <!-- ============================================================== -->
  <!-- Mode fate: what becomes of each element and attribute of the   -->
  <!-- PEP. A template writes nothing when Southwark's form holds it  -->
  <!-- (converting back gives it again, at the same place); "lost"    -->
  <!-- when the form has no place for it; "changed:V" when the form   -->
  <!-- holds it but converting back gives V instead. Elements are     -->
  <!-- named one by one, so an element this stylesheet does not know  -->
  <!-- (a later version of the canonical schema) is lost, and carried. -->
  <!-- ============================================================== -->

  <!-- What Southwark's form holds whatever the document says: every field
       but those of mode fate's templates below. -->
  <xsl:key name="held" use="generate-id()" match="
      p:header | p:header/p:localAuthority | p:header/p:localAuthority/@code | p:header/p:formState
      | p:pepHistory | p:pepHistory//*[contains(' date kind previousMeeting ', concat(' ', local-name(), ' '))]
      | p:essentialInformation
      | p:essentialInformation//*[contains(' actionPlan becameLookedAfter care carePlanDate carer completedBy
          contactArrangements currentSituation date dateOfBirth designatedTeacher email emotionalWellbeing ethnicity
          familyName firstLanguage fullTime gender givenNames health healthIssues held iro laChildId legalName
          legalStatus lookedAfterReviews name next noEducationalProvision parentalResponsibility personal phone
          placement placementType preCareHistory preferredName reason relationship school schoolLocalAuthority score
          sdq since socialWorker startDate team upn urn yearGroup ', concat(' ', local-name(), ' '))]
      | p:schoolLocalAuthority/@code
      | p:educationInformation
      | p:educationInformation//*[contains(' aspirations assessmentDate attainment attendance awarded beforeCare
          bursary careersAdvice completedBy conduct considered course courseWeeks current dataDate date days details
          ehcPlanAnnualReview exclusion exclusions expected extraSupport from hoursPerWeek inPlace kind name
          neetSupportPlan notes options participation percentage personalisedPackage plan14to19 planToReturn post16
          previousSchool previousSchools primaryNeed progress provision reason reasonForLeaving reducedTimetable
          reviewDate sen setting status subject target to unauthorisedAbsences urn ', concat(' ', local-name(), ' '))]
      | p:previousSchools/@none
      | p:youngPersonsViews
      | p:youngPersonsViews//*[contains(' attendedMeeting completedWith date enjoys findsHard helpsMeLearn hopes name
          nominatedAdult role wantsCopy wantsFromMeeting ', concat(' ', local-name(), ' '))]
      | p:pepMeeting | p:pepMeeting/p:date | p:pepMeeting/p:startTime | p:pepMeeting/p:place | p:pepMeeting/p:chair
      | p:attendees | p:attendees//*[contains(' attendee name organisation role status ', concat(' ', local-name(), ' '))]
      | p:socialWorkerConfirmedSectionA | p:pepMeeting/p:summary | p:carersViews
      | p:previousTargets
      | p:previousTargets//*[contains(' area comment description outcome previousTarget ', concat(' ', local-name(), ' '))]
      | p:pepMeeting/p:targets | p:pepMeeting/p:targets/p:target[position() &lt;= 3]
      | p:pepMeeting/p:targets/p:target[position() &lt;= 3]//*[contains(' amount area baseline buys deadline decidedBy decision decisionDate
          description how howOften ppPlus successCriterion whoHelps ', concat(' ', local-name(), ' '))]
      | p:actions | p:actions//*[contains(' action description done due owner ownerName ', concat(' ', local-name(), ' '))]
      | p:nextMeeting | p:nextMeeting//*[contains(' date time ', concat(' ', local-name(), ' '))]
      | p:signOff[p:sectionComplete or p:upload] | p:signOff/p:sectionComplete
      | p:signOff/p:upload | p:signOff/p:upload/*[contains(' by date system ', concat(' ', local-name(), ' '))]
      | p:attachments | p:attachments//*[contains(' attachment kind name ref ', concat(' ', local-name(), ' '))]"/>
  <!-- What it holds or not depending on the document: mode fate decides. -->
  <xsl:key name="judged" use="generate-id()"
           match="p:header/p:kind | p:pepMeeting/p:kind | p:signOff/p:sectionComplete/* | p:signOff/p:sectionComplete/@section"/>

  <xsl:template mode="fate" priority="1" match="*[key('held', generate-id())] | @*[key('held', generate-id())]"/>

  <!-- Held while converting back gives the same kind. -->
  <xsl:template mode="fate" priority="2" match="p:header/p:kind">
    <xsl:if test=". != $kind-back">changed:<xsl:value-of select="$kind-back"/></xsl:if>
  </xsl:template>
  <xsl:template mode="fate" priority="2" match="p:pepMeeting/p:kind">
    <xsl:if test=". != $meeting-kind-back">changed:<xsl:value-of select="$meeting-kind-back"/></xsl:if>
  </xsl:template>

  <!-- Each section's completion goes with its section, and comes back in
       the order A, B, C, D: a field is held when the completion that comes
       back at its place has the same value there. -->
  <xsl:template mode="fate" priority="2" match="p:signOff/p:sectionComplete/* | p:signOff/p:sectionComplete/@section">
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
    <xsl:if test="string($back) != string($me)">changed:<xsl:value-of select="$back"/></xsl:if>
  </xsl:template>

  <!-- Lost although in a part Southwark's form holds. -->
  <xsl:template mode="fate" priority="3" match="
      p:designatedTeacher/p:qualifiedTeacher
      | p:senPupilViewFormUsed | p:choseToChair
      | p:pepMeeting/p:targets/p:target[position() > 3] | p:pepMeeting/p:targets/p:target[position() > 3]//*
      | p:target/p:description/@words">lost</xsl:template>

  <xsl:template mode="fate" priority="-10" match="*|@*">lost</xsl:template>

  <!-- What to do about a field Southwark's form has no place for, when there
       is something to do (the element or attribute is the context). -->
  <xsl:template name="advice">
    <xsl:choose>
      <xsl:when test="self::p:childsViewsUsed">Southwark's form has no place for it: if the people who read the form need it, copy it into the summary of the meeting (section 2)</xsl:when>
      <xsl:when test="self::p:target">Southwark's form holds three targets: agree with the school which three to keep, or copy this one into the actions (section 2)</xsl:when>
      <xsl:when test="parent::p:legalName and count(. | ../@order) = 1">Southwark's form has no place for it: Southwark's copy may print the given names first</xsl:when>
      <xsl:when test="self::p:qualityAssurance">Southwark's form keeps no quality assurance: keep the canonical PEP as the record of it</xsl:when>
    </xsl:choose>
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
        <xsl:with-param name="reason">the PEP does not say whether this is a first, review or new-school PEP (Southwark procedure 3.5.2 §2): fill it in</xsl:with-param>
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

  <!-- What converting back gives that the PEP did not have, with the value
       it gives (was): the meeting's kind, from Southwark's type of PEP, and
       the empty list of previous schools the full form must have. -->
  <xsl:template name="absent">
    <xsl:if test="$D and not($D/p:kind) and $meeting-kind-back != ''">
      <xsl:element name="absent" namespace="{$carried-ns}">
        <xsl:attribute name="path">/pep/pepMeeting[1]/kind[1]</xsl:attribute>
        <xsl:attribute name="was"><xsl:value-of select="$meeting-kind-back"/></xsl:attribute>
      </xsl:element>
    </xsl:if>
    <xsl:if test="$form != 'pepReview' and not($B/p:previousSchools)">
      <xsl:element name="absent" namespace="{$carried-ns}">
        <xsl:attribute name="path">/pep/educationInformation[1]/previousSchools[1]</xsl:attribute>
        <xsl:attribute name="was"/>
      </xsl:element>
    </xsl:if>
  </xsl:template>

  <!-- ============================================================== -->
  <!-- What each carried part belongs to                              -->
  <!-- ============================================================== -->

  <!-- What certifies the PEP as it was: the workflow history and the
       quality assurance (and a sign-off the form has no place for at all).
       They are bound to the whole form: converting back puts them back only
       while the form says what it said. -->
  <xsl:key name="certifies" use="generate-id()"
           match="p:header/p:stateHistory | p:signOff/p:qualityAssurance | p:signOff[not(p:sectionComplete or p:upload)]"/>

  <!-- The binding of a carried part (the context) to what it belongs to:
       bound="form" for what certifies the PEP; otherwise owner, the path of
       the element it belongs to (its parent; for a part of the meeting, the
       meeting's date), and fp, the SHA-1 of that element's fields on the
       form (mode owner-data; fp: template owner-fp, of the parent).
       Converting back puts the part back only when the element at owner
       still has the same fields. -->
  <xsl:template name="binding">
    <xsl:param name="parent"/>
    <xsl:param name="fp"/>
    <xsl:choose>
      <xsl:when test="key('certifies', generate-id())">
        <xsl:attribute name="bound">form</xsl:attribute>
      </xsl:when>
      <xsl:otherwise>
        <xsl:variable name="meeting" select="boolean(../self::p:pepMeeting)"/>
        <xsl:attribute name="owner">
          <xsl:value-of select="$parent"/>
          <xsl:if test="$meeting">/date[1]</xsl:if>
        </xsl:attribute>
        <xsl:attribute name="fp">
          <xsl:choose>
            <xsl:when test="$meeting"><xsl:for-each select="../p:date[1]"><xsl:call-template name="owner-fp"/></xsl:for-each></xsl:when>
            <xsl:otherwise><xsl:value-of select="$fp"/></xsl:otherwise>
          </xsl:choose>
        </xsl:attribute>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The fingerprint of the element (the context) for the parts carried
       from it: the SHA-1 of its fields (mode owner-data); nothing when it
       has no part that could be carried (no attribute, every child held). -->
  <xsl:template name="owner-fp">
    <xsl:if test="self::p:date or *[not(key('held', generate-id()))] or @*[namespace-uri() != $xsi-ns and namespace-uri() != $line-ns]">
      <xsl:variable name="data"><xsl:apply-templates select="." mode="owner-data"/></xsl:variable>
      <xsl:value-of select="crypto:sha1(string($data))"/>
    </xsl:if>
  </xsl:template>

  <!-- The fields of an element that the form holds, each "name=value" and a
       line feed, in document order: those that converting back gives again
       at the same place (mode units' held). Attributes are left out, and so
       are elements the form does not hold, whole. -->
  <xsl:template match="*" mode="owner-data">
    <xsl:choose>
      <xsl:when test="*">
        <xsl:apply-templates select="*[key('held', generate-id()) or key('judged', generate-id())]" mode="owner-data"/>
      </xsl:when>
      <xsl:when test="normalize-space() != ''">
        <xsl:variable name="fate">
          <xsl:if test="not(key('held', generate-id()))"><xsl:apply-templates select="." mode="fate"/></xsl:if>
        </xsl:variable>
        <xsl:if test="key('held', generate-id()) or (key('judged', generate-id()) and $fate = '')">
          <xsl:value-of select="concat(local-name(), '=', normalize-space(), '&#10;')"/>
        </xsl:if>
      </xsl:when>
    </xsl:choose>
  </xsl:template>

  <!-- ============================================================== -->
  <!-- The carried block and the loss report (the same templates in   -->
  <!-- southwark-to-kent.xsl, except for the namespaces and section-of) -->
  <!-- ============================================================== -->

  <!-- The carried block: every part of the PEP the target form has no place
       for, at the end of the document, in its own namespace; converting back
       puts each part back where it was.

       <carried xmlns="https://pep-tool.org/ns/pep-carried/1" format="NS" digest="D">
         <element parent="P" path="P/NAME[n]" after=" NAMES " [was="V"] BINDING>the element, as it was</element>
         <attribute parent="P" name="NAME" BINDING>value</attribute>
         <absent path="P/NAME[n]" was="V"/>
       </carried>

       NS is the namespace of the format the parts come from; D the SHA-1 of
       the form's data (mode form-data); P the path of the element they
       belong in, every step numbered; NAMES the names of the elements
       before this one in P, which converting back puts it after; was the
       value converting back gives at that path, which the carried element
       replaces only while it is still there; BINDING what the part belongs
       to (template binding). An element replaces the one at its path, or is
       inserted; an absent path is left out while it is still empty or has
       the value was. Parts without a value are not carried. -->
  <xsl:template name="carried">
    <xsl:param name="body"/>
    <xsl:if test="not(function-available('crypto:sha1'))">
      <xsl:message terminate="yes">kent-to-southwark.xsl binds the carried block to the form with EXSLT's crypto:sha1, which this XSLT processor lacks (libexslt built without libgcrypt): use one that has it, or leave the block out with the parameter carry=no</xsl:message>
    </xsl:if>
    <xsl:variable name="items">
      <xsl:apply-templates select="/*" mode="units"><xsl:with-param name="what" select="'carry'"/></xsl:apply-templates>
      <xsl:call-template name="absent"/>
    </xsl:variable>
    <xsl:if test="exsl:node-set($items)/*">
      <xsl:element name="carried" namespace="{$carried-ns}">
        <xsl:attribute name="format"><xsl:value-of select="namespace-uri(/*)"/></xsl:attribute>
        <xsl:variable name="data"><xsl:apply-templates select="$body" mode="form-data"/></xsl:variable>
        <xsl:attribute name="digest"><xsl:value-of select="crypto:sha1(concat($form, ':', $data))"/></xsl:attribute>
        <xsl:copy-of select="$items"/>
      </xsl:element>
    </xsl:if>
  </xsl:template>

  <xsl:template name="report">
    <xsl:element name="conversionReport" namespace="{$report-ns}">
      <xsl:attribute name="from"><xsl:value-of select="$from"/></xsl:attribute>
      <xsl:attribute name="to"><xsl:value-of select="$to"/></xsl:attribute>
      <xsl:apply-templates select="/*" mode="units"><xsl:with-param name="what" select="'report'"/></xsl:apply-templates>
      <xsl:call-template name="missing"/>
    </xsl:element>
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
