<?xml version="1.0" encoding="UTF-8"?>
<!--
  MARCXML -> MODS 3.7, written for Polycat's test peers (the Library of Congress stylesheets are
  not packaged in Debian). Covers what a Copac-style catalogue sends: titleInfo with nonSort,
  subTitle, part; names with roles; typeOfResource, genre; originInfo; language;
  physicalDescription; abstract, tableOfContents, notes; subjects; classification;
  relatedItem host (773) and series (490); identifiers isbn/issn/lccn/oclc/doi (invalid="yes"
  for 020 $z and 022 $y/$z); location url (856) and shelf (852); recordInfo.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:m="http://www.loc.gov/MARC21/slim"
    xmlns="http://www.loc.gov/mods/v3"
    exclude-result-prefixes="m">
  <xsl:include href="common.xsl"/>
  <xsl:output method="xml" encoding="UTF-8" indent="yes"/>

  <xsl:template match="/">
    <xsl:apply-templates select="//m:record[1]"/>
  </xsl:template>

  <xsl:template match="m:record">
    <xsl:variable name="leader6" select="substring(m:leader, 7, 1)"/>
    <xsl:variable name="leader7" select="substring(m:leader, 8, 1)"/>
    <xsl:variable name="c008" select="m:controlfield[@tag='008']"/>
    <mods version="3.7"
        xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
        xsi:schemaLocation="http://www.loc.gov/mods/v3 http://www.loc.gov/standards/mods/v3/mods-3-7.xsd">

      <xsl:apply-templates select="m:datafield[@tag='245']"/>
      <xsl:for-each select="m:datafield[@tag='246']">
        <titleInfo type="alternative">
          <title><xsl:call-template name="join"><xsl:with-param name="codes" select="'ab'"/></xsl:call-template></title>
        </titleInfo>
      </xsl:for-each>
      <xsl:for-each select="m:datafield[@tag='240' or @tag='130']">
        <titleInfo type="uniform">
          <title><xsl:call-template name="join"><xsl:with-param name="codes" select="'adfklmnoprs'"/></xsl:call-template></title>
        </titleInfo>
      </xsl:for-each>

      <xsl:apply-templates select="m:datafield[@tag='100' or @tag='110' or @tag='111' or @tag='700' or @tag='710' or @tag='711']" mode="name"/>

      <typeOfResource>
        <xsl:if test="$leader6 = 't'"><xsl:attribute name="manuscript">yes</xsl:attribute></xsl:if>
        <xsl:choose>
          <xsl:when test="$leader6 = 'a' or $leader6 = 't'">text</xsl:when>
          <xsl:when test="$leader6 = 'e' or $leader6 = 'f'">cartographic</xsl:when>
          <xsl:when test="$leader6 = 'c' or $leader6 = 'd'">notated music</xsl:when>
          <xsl:when test="$leader6 = 'j'">sound recording-musical</xsl:when>
          <xsl:when test="$leader6 = 'i'">sound recording-nonmusical</xsl:when>
          <xsl:when test="$leader6 = 'g'">moving image</xsl:when>
          <xsl:when test="$leader6 = 'm'">software, multimedia</xsl:when>
          <xsl:otherwise>mixed material</xsl:otherwise>
        </xsl:choose>
      </typeOfResource>
      <xsl:if test="m:datafield[@tag='502']">
        <genre authority="marcgt">thesis</genre>
      </xsl:if>
      <xsl:if test="$leader7 = 's'">
        <genre authority="marcgt">periodical</genre>
      </xsl:if>

      <originInfo>
        <xsl:if test="normalize-space(substring($c008, 16, 3)) != ''">
          <place><placeTerm type="code" authority="marccountry"><xsl:value-of select="normalize-space(substring($c008, 16, 3))"/></placeTerm></place>
        </xsl:if>
        <xsl:for-each select="(m:datafield[@tag='260'] | m:datafield[@tag='264'][@ind2='1'])/m:subfield[@code='a']">
          <place><placeTerm type="text"><xsl:call-template name="chop"><xsl:with-param name="text" select="translate(., '[]', '')"/></xsl:call-template></placeTerm></place>
        </xsl:for-each>
        <xsl:for-each select="(m:datafield[@tag='260'] | m:datafield[@tag='264'][@ind2='1'])/m:subfield[@code='b']">
          <publisher><xsl:call-template name="chop"><xsl:with-param name="text" select="."/></xsl:call-template></publisher>
        </xsl:for-each>
        <xsl:for-each select="(m:datafield[@tag='260'] | m:datafield[@tag='264'][@ind2='1'])/m:subfield[@code='c']">
          <dateIssued><xsl:call-template name="chop"><xsl:with-param name="text" select="."/></xsl:call-template></dateIssued>
        </xsl:for-each>
        <xsl:for-each select="m:datafield[@tag='264'][@ind2='4']/m:subfield[@code='c']">
          <copyrightDate><xsl:call-template name="chop"><xsl:with-param name="text" select="."/></xsl:call-template></copyrightDate>
        </xsl:for-each>
        <xsl:variable name="year"><xsl:call-template name="year"/></xsl:variable>
        <xsl:if test="$year != ''">
          <dateIssued encoding="marc"><xsl:value-of select="$year"/></dateIssued>
        </xsl:if>
        <xsl:for-each select="m:datafield[@tag='250']">
          <edition><xsl:call-template name="join"><xsl:with-param name="codes" select="'ab'"/></xsl:call-template></edition>
        </xsl:for-each>
        <issuance>
          <xsl:choose>
            <xsl:when test="$leader7 = 's'">serial</xsl:when>
            <xsl:when test="$leader7 = 'i'">integrating resource</xsl:when>
            <xsl:otherwise>monographic</xsl:otherwise>
          </xsl:choose>
        </issuance>
      </originInfo>

      <xsl:if test="normalize-space(substring($c008, 36, 3)) != ''">
        <language><languageTerm type="code" authority="iso639-2b"><xsl:value-of select="substring($c008, 36, 3)"/></languageTerm></language>
      </xsl:if>
      <xsl:for-each select="m:datafield[@tag='041']/m:subfield[@code='a'][. != substring($c008, 36, 3)]">
        <language><languageTerm type="code" authority="iso639-2b"><xsl:value-of select="."/></languageTerm></language>
      </xsl:for-each>

      <xsl:if test="m:datafield[@tag='300']">
        <physicalDescription>
          <form authority="marcform">print</form>
          <xsl:for-each select="m:datafield[@tag='300']">
            <extent><xsl:call-template name="join"><xsl:with-param name="codes" select="'abce'"/></xsl:call-template></extent>
          </xsl:for-each>
        </physicalDescription>
      </xsl:if>

      <xsl:for-each select="m:datafield[@tag='520']">
        <abstract><xsl:value-of select="normalize-space(m:subfield[@code='a'])"/></abstract>
      </xsl:for-each>
      <xsl:for-each select="m:datafield[@tag='505']">
        <tableOfContents><xsl:value-of select="normalize-space(m:subfield[@code='a'])"/></tableOfContents>
      </xsl:for-each>
      <xsl:for-each select="m:datafield[@tag='500']">
        <note><xsl:value-of select="normalize-space(m:subfield[@code='a'])"/></note>
      </xsl:for-each>
      <xsl:for-each select="m:datafield[@tag='502']">
        <note type="thesis"><xsl:call-template name="join"><xsl:with-param name="codes" select="'abcd'"/></xsl:call-template></note>
      </xsl:for-each>
      <xsl:for-each select="m:datafield[@tag='504']">
        <note type="bibliography"><xsl:value-of select="normalize-space(m:subfield[@code='a'])"/></note>
      </xsl:for-each>

      <xsl:apply-templates select="m:datafield[@tag='600' or @tag='610' or @tag='611' or @tag='630' or @tag='650' or @tag='651' or @tag='655']" mode="subject"/>

      <xsl:for-each select="m:datafield[@tag='050']">
        <classification authority="lcc"><xsl:call-template name="join"><xsl:with-param name="codes" select="'ab'"/></xsl:call-template></classification>
      </xsl:for-each>
      <xsl:for-each select="m:datafield[@tag='082']">
        <classification authority="ddc"><xsl:value-of select="normalize-space(m:subfield[@code='a'])"/></classification>
      </xsl:for-each>

      <xsl:apply-templates select="m:datafield[@tag='773']" mode="host"/>
      <xsl:for-each select="m:datafield[@tag='490' or @tag='830']">
        <relatedItem type="series">
          <titleInfo><title><xsl:call-template name="join"><xsl:with-param name="codes" select="'anp'"/></xsl:call-template></title></titleInfo>
          <xsl:for-each select="m:subfield[@code='x']"><identifier type="issn"><xsl:value-of select="."/></identifier></xsl:for-each>
          <xsl:for-each select="m:subfield[@code='v']"><part><detail type="volume"><number><xsl:call-template name="chop"><xsl:with-param name="text" select="."/></xsl:call-template></number></detail></part></xsl:for-each>
        </relatedItem>
      </xsl:for-each>

      <xsl:for-each select="m:datafield[@tag='020']/m:subfield[@code='a']">
        <identifier type="isbn"><xsl:value-of select="normalize-space(.)"/><xsl:for-each select="../m:subfield[@code='q']"> (<xsl:value-of select="normalize-space(.)"/>)</xsl:for-each></identifier>
      </xsl:for-each>
      <xsl:for-each select="m:datafield[@tag='020']/m:subfield[@code='z']">
        <identifier type="isbn" invalid="yes"><xsl:value-of select="normalize-space(.)"/></identifier>
      </xsl:for-each>
      <xsl:for-each select="m:datafield[@tag='022']/m:subfield[@code='a']">
        <identifier type="issn"><xsl:value-of select="normalize-space(.)"/></identifier>
      </xsl:for-each>
      <xsl:for-each select="m:datafield[@tag='022']/m:subfield[@code='l']">
        <identifier type="issn-l"><xsl:value-of select="normalize-space(.)"/></identifier>
      </xsl:for-each>
      <xsl:for-each select="m:datafield[@tag='022']/m:subfield[@code='y' or @code='z']">
        <identifier type="issn" invalid="yes"><xsl:value-of select="normalize-space(.)"/></identifier>
      </xsl:for-each>
      <xsl:for-each select="m:datafield[@tag='010']/m:subfield[@code='a']">
        <identifier type="lccn"><xsl:value-of select="normalize-space(.)"/></identifier>
      </xsl:for-each>
      <xsl:for-each select="m:datafield[@tag='035']/m:subfield[@code='a'][starts-with(., '(OCoLC)')]">
        <identifier type="oclc"><xsl:value-of select="normalize-space(substring-after(., ')'))"/></identifier>
      </xsl:for-each>
      <xsl:for-each select="m:datafield[@tag='024'][m:subfield[@code='2'] = 'doi']/m:subfield[@code='a']">
        <identifier type="doi"><xsl:value-of select="normalize-space(.)"/></identifier>
      </xsl:for-each>

      <xsl:for-each select="m:datafield[@tag='852']">
        <location>
          <physicalLocation><xsl:call-template name="join"><xsl:with-param name="codes" select="'ab'"/></xsl:call-template></physicalLocation>
          <xsl:if test="m:subfield[@code='h' or @code='i']">
            <shelfLocator><xsl:call-template name="join"><xsl:with-param name="codes" select="'hi'"/></xsl:call-template></shelfLocator>
          </xsl:if>
        </location>
      </xsl:for-each>
      <xsl:for-each select="m:datafield[@tag='856'][m:subfield[@code='u']]">
        <location>
          <url>
            <xsl:if test="m:subfield[@code='y' or @code='3']">
              <xsl:attribute name="displayLabel"><xsl:value-of select="(m:subfield[@code='y'] | m:subfield[@code='3'])[1]"/></xsl:attribute>
            </xsl:if>
            <xsl:if test="m:subfield[@code='z']">
              <xsl:attribute name="note"><xsl:value-of select="m:subfield[@code='z']"/></xsl:attribute>
            </xsl:if>
            <xsl:if test="@ind2 = '0'"><xsl:attribute name="usage">primary display</xsl:attribute></xsl:if>
            <xsl:value-of select="normalize-space(m:subfield[@code='u'])"/>
          </url>
        </location>
      </xsl:for-each>

      <recordInfo>
        <xsl:for-each select="m:datafield[@tag='040']/m:subfield[@code='a']">
          <recordContentSource authority="marcorg"><xsl:value-of select="."/></recordContentSource>
        </xsl:for-each>
        <xsl:for-each select="m:controlfield[@tag='001']">
          <recordIdentifier>
            <xsl:if test="../m:controlfield[@tag='003']">
              <xsl:attribute name="source"><xsl:value-of select="../m:controlfield[@tag='003']"/></xsl:attribute>
            </xsl:if>
            <xsl:value-of select="normalize-space(.)"/>
          </recordIdentifier>
        </xsl:for-each>
        <recordOrigin>Converted from MARCXML to MODS version 3.7 by Polycat's test peer</recordOrigin>
      </recordInfo>
    </mods>
  </xsl:template>

  <!-- 245: nonSort is the leading article the second indicator counts, with its blank -->
  <xsl:template match="m:datafield[@tag='245']">
    <xsl:variable name="skip"><xsl:call-template name="nonfiling"><xsl:with-param name="ind" select="@ind2"/></xsl:call-template></xsl:variable>
    <xsl:variable name="a" select="m:subfield[@code='a']"/>
    <titleInfo>
      <xsl:if test="$skip &gt; 0">
        <nonSort><xsl:value-of select="substring($a, 1, $skip)"/></nonSort>
      </xsl:if>
      <title><xsl:call-template name="chop"><xsl:with-param name="text" select="substring($a, $skip + 1)"/></xsl:call-template></title>
      <xsl:for-each select="m:subfield[@code='b']">
        <subTitle><xsl:call-template name="chop"><xsl:with-param name="text" select="."/></xsl:call-template></subTitle>
      </xsl:for-each>
      <xsl:for-each select="m:subfield[@code='n']">
        <partNumber><xsl:call-template name="chop"><xsl:with-param name="text" select="."/></xsl:call-template></partNumber>
      </xsl:for-each>
      <xsl:for-each select="m:subfield[@code='p']">
        <partName><xsl:call-template name="chop"><xsl:with-param name="text" select="."/></xsl:call-template></partName>
      </xsl:for-each>
    </titleInfo>
  </xsl:template>

  <xsl:template match="m:datafield" mode="name">
    <name>
      <xsl:attribute name="type">
        <xsl:choose>
          <xsl:when test="@tag='110' or @tag='710'">corporate</xsl:when>
          <xsl:when test="@tag='111' or @tag='711'">conference</xsl:when>
          <xsl:otherwise>personal</xsl:otherwise>
        </xsl:choose>
      </xsl:attribute>
      <xsl:if test="starts-with(@tag, '1')"><xsl:attribute name="usage">primary</xsl:attribute></xsl:if>
      <namePart><xsl:call-template name="join"><xsl:with-param name="codes" select="'abcnq'"/></xsl:call-template></namePart>
      <xsl:for-each select="m:subfield[@code='d']">
        <namePart type="date"><xsl:call-template name="chop"><xsl:with-param name="text" select="."/></xsl:call-template></namePart>
      </xsl:for-each>
      <xsl:choose>
        <xsl:when test="m:subfield[@code='e' or @code='4']">
          <xsl:for-each select="m:subfield[@code='e']">
            <role><roleTerm type="text" authority="marcrelator"><xsl:call-template name="chop"><xsl:with-param name="text" select="."/></xsl:call-template></roleTerm></role>
          </xsl:for-each>
          <xsl:for-each select="m:subfield[@code='4']">
            <role><roleTerm type="code" authority="marcrelator"><xsl:value-of select="normalize-space(.)"/></roleTerm></role>
          </xsl:for-each>
        </xsl:when>
        <xsl:when test="starts-with(@tag, '1')">
          <role><roleTerm type="text" authority="marcrelator">author</roleTerm></role>
        </xsl:when>
      </xsl:choose>
    </name>
  </xsl:template>

  <xsl:template match="m:datafield" mode="subject">
    <subject>
      <xsl:if test="@ind2 = '0'"><xsl:attribute name="authority">lcsh</xsl:attribute></xsl:if>
      <xsl:choose>
        <xsl:when test="@tag='600' or @tag='610' or @tag='611'">
          <name>
            <xsl:attribute name="type">
              <xsl:choose>
                <xsl:when test="@tag='610'">corporate</xsl:when>
                <xsl:when test="@tag='611'">conference</xsl:when>
                <xsl:otherwise>personal</xsl:otherwise>
              </xsl:choose>
            </xsl:attribute>
            <namePart><xsl:call-template name="join"><xsl:with-param name="codes" select="'abcq'"/></xsl:call-template></namePart>
            <xsl:for-each select="m:subfield[@code='d']">
              <namePart type="date"><xsl:call-template name="chop"><xsl:with-param name="text" select="."/></xsl:call-template></namePart>
            </xsl:for-each>
          </name>
        </xsl:when>
        <xsl:when test="@tag='630'">
          <titleInfo><title><xsl:call-template name="join"><xsl:with-param name="codes" select="'a'"/></xsl:call-template></title></titleInfo>
        </xsl:when>
        <xsl:when test="@tag='651'">
          <geographic><xsl:call-template name="join"><xsl:with-param name="codes" select="'a'"/></xsl:call-template></geographic>
        </xsl:when>
        <xsl:when test="@tag='655'">
          <genre><xsl:call-template name="join"><xsl:with-param name="codes" select="'a'"/></xsl:call-template></genre>
        </xsl:when>
        <xsl:otherwise>
          <topic><xsl:call-template name="join"><xsl:with-param name="codes" select="'a'"/></xsl:call-template></topic>
        </xsl:otherwise>
      </xsl:choose>
      <xsl:for-each select="m:subfield[@code='x' or @code='y' or @code='z' or @code='v']">
        <xsl:variable name="value"><xsl:call-template name="chop"><xsl:with-param name="text" select="."/></xsl:call-template></xsl:variable>
        <xsl:choose>
          <xsl:when test="@code='x'"><topic><xsl:value-of select="$value"/></topic></xsl:when>
          <xsl:when test="@code='y'"><temporal><xsl:value-of select="$value"/></temporal></xsl:when>
          <xsl:when test="@code='z'"><geographic><xsl:value-of select="$value"/></geographic></xsl:when>
          <xsl:otherwise><genre><xsl:value-of select="$value"/></genre></xsl:otherwise>
        </xsl:choose>
      </xsl:for-each>
    </subject>
  </xsl:template>

  <!-- 773: the journal or book an article or chapter is in -->
  <xsl:template match="m:datafield" mode="host">
    <relatedItem type="host">
      <xsl:for-each select="m:subfield[@code='t']">
        <titleInfo><title><xsl:call-template name="chop"><xsl:with-param name="text" select="."/></xsl:call-template></title></titleInfo>
      </xsl:for-each>
      <xsl:for-each select="m:subfield[@code='a']">
        <name><namePart><xsl:call-template name="chop"><xsl:with-param name="text" select="."/></xsl:call-template></namePart></name>
      </xsl:for-each>
      <xsl:for-each select="m:subfield[@code='d']">
        <originInfo><publisher><xsl:call-template name="chop"><xsl:with-param name="text" select="."/></xsl:call-template></publisher></originInfo>
      </xsl:for-each>
      <xsl:for-each select="m:subfield[@code='x']"><identifier type="issn"><xsl:value-of select="normalize-space(.)"/></identifier></xsl:for-each>
      <xsl:for-each select="m:subfield[@code='z']"><identifier type="isbn"><xsl:value-of select="normalize-space(.)"/></identifier></xsl:for-each>
      <xsl:for-each select="m:subfield[@code='w']"><identifier type="local"><xsl:value-of select="normalize-space(.)"/></identifier></xsl:for-each>
      <xsl:for-each select="m:subfield[@code='g']"><part><text><xsl:value-of select="normalize-space(.)"/></text></part></xsl:for-each>
    </relatedItem>
  </xsl:template>
</xsl:stylesheet>
