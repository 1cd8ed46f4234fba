<?xml version="1.0" encoding="UTF-8"?>
<!--
  MARCXML -> Zebra index terms (DOM filter "extract" pipeline).
  Index names are the Bib-1 names in Zebra's tab/bib1.att, so numeric use attributes work:
  @attr 1=4 -> Title, 1=1003 -> Author, 1=7 -> ISBN ... Types: w = words, p = whole field
  (phrase / complete field, and the browse list for Scan), s = sort register (one per record).
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:m="http://www.loc.gov/MARC21/slim"
    xmlns:z="http://indexdata.com/zebra-2.0">
  <xsl:include href="common.xsl"/>
  <xsl:output method="xml" encoding="UTF-8" indent="no"/>

  <xsl:template match="text()"/>

  <xsl:template match="/">
    <xsl:apply-templates select="//m:record[1]"/>
  </xsl:template>

  <!-- start_zebra(isbn_both_forms=True) makes this true(): like Copac, which indexes every
       ISBN as ISBN-13 and turns an ISBN-10 query into ISBN-13, both forms are then found -->
  <xsl:variable name="isbn-both-forms" select="false()"/>

  <!-- the other form of an ISBN: 10 digits -> 978 ISBN-13, 978 ISBN-13 -> ISBN-10 -->
  <xsl:template name="other-isbn">
    <xsl:param name="d"/>
    <xsl:choose>
      <xsl:when test="string-length($d) = 10">
        <xsl:variable name="sum" select="38 + 3 * (substring($d, 1, 1) + substring($d, 3, 1)
            + substring($d, 5, 1) + substring($d, 7, 1) + substring($d, 9, 1))
            + substring($d, 2, 1) + substring($d, 4, 1) + substring($d, 6, 1) + substring($d, 8, 1)"/>
        <xsl:value-of select="concat('978', substring($d, 1, 9), (10 - $sum mod 10) mod 10)"/>
      </xsl:when>
      <xsl:when test="string-length($d) = 13 and starts-with($d, '978')">
        <xsl:variable name="b" select="substring($d, 4, 9)"/>
        <xsl:variable name="sum" select="10 * substring($b, 1, 1) + 9 * substring($b, 2, 1)
            + 8 * substring($b, 3, 1) + 7 * substring($b, 4, 1) + 6 * substring($b, 5, 1)
            + 5 * substring($b, 6, 1) + 4 * substring($b, 7, 1) + 3 * substring($b, 8, 1)
            + 2 * substring($b, 9, 1)"/>
        <xsl:variable name="check" select="(11 - $sum mod 11) mod 11"/>
        <xsl:value-of select="$b"/>
        <xsl:choose>
          <xsl:when test="$check = 10">X</xsl:when>
          <xsl:otherwise><xsl:value-of select="$check"/></xsl:otherwise>
        </xsl:choose>
      </xsl:when>
    </xsl:choose>
  </xsl:template>

  <!-- digits (and X) only: ISBN/ISSN/LCCN as a single searchable token -->
  <xsl:template name="identifier">
    <xsl:param name="value"/>
    <xsl:variable name="first" select="substring-before(concat(normalize-space($value), ' '), ' ')"/>
    <xsl:value-of select="translate($first, 'x-', 'X')"/>
  </xsl:template>

  <xsl:template match="m:record">
    <xsl:variable name="c008" select="m:controlfield[@tag='008']"/>
    <xsl:variable name="year"><xsl:call-template name="year"/></xsl:variable>

    <z:record>
      <!-- 12 local number -->
      <xsl:for-each select="m:controlfield[@tag='001']">
        <z:index name="Local-number:w Local-number:p Any:w"><xsl:value-of select="normalize-space(.)"/></z:index>
      </xsl:for-each>

      <!-- 7 ISBN: 020 $a only, as digits (and as written, when hyphenated); $z (cancelled or
           invalid) is only a 1007 standard identifier -->
      <xsl:for-each select="m:datafield[@tag='020']/m:subfield[@code='a']">
        <z:index name="ISBN:w Identifier-standard:w Any:w">
          <xsl:call-template name="identifier"><xsl:with-param name="value" select="."/></xsl:call-template>
        </z:index>
        <xsl:if test="contains(substring-before(concat(normalize-space(.), ' '), ' '), '-')">
          <z:index name="ISBN:w"><xsl:value-of select="substring-before(concat(normalize-space(.), ' '), ' ')"/></z:index>
        </xsl:if>
        <xsl:if test="$isbn-both-forms">
          <xsl:variable name="digits"><xsl:call-template name="identifier"><xsl:with-param name="value" select="."/></xsl:call-template></xsl:variable>
          <z:index name="ISBN:w"><xsl:call-template name="other-isbn"><xsl:with-param name="d" select="$digits"/></xsl:call-template></z:index>
        </xsl:if>
      </xsl:for-each>
      <xsl:for-each select="m:datafield[@tag='020']/m:subfield[@code='z']">
        <z:index name="Identifier-standard:w">
          <xsl:call-template name="identifier"><xsl:with-param name="value" select="."/></xsl:call-template>
        </z:index>
      </xsl:for-each>

      <!-- 8 ISSN: as written (1234-5679) and as one token (12345679) -->
      <xsl:for-each select="m:datafield[@tag='022']/m:subfield[@code='a' or @code='l'] | m:datafield[@tag='773' or @tag='490' or @tag='830']/m:subfield[@code='x']">
        <z:index name="ISSN:w Identifier-standard:w Any:w"><xsl:value-of select="normalize-space(.)"/></z:index>
        <z:index name="ISSN:w"><xsl:value-of select="translate(normalize-space(.), '-', '')"/></z:index>
      </xsl:for-each>

      <!-- 9 LCCN: blanks and hyphen removed -->
      <xsl:for-each select="m:datafield[@tag='010']/m:subfield[@code='a']">
        <z:index name="LC-card-number:w Identifier-standard:w">
          <xsl:value-of select="translate(normalize-space(.), ' -', '')"/>
        </z:index>
      </xsl:for-each>

      <!-- 1007 other standard identifiers: 024 (DOI, ISMN...), 035 system numbers -->
      <xsl:for-each select="m:datafield[@tag='024' or @tag='035']/m:subfield[@code='a']">
        <z:index name="Identifier-standard:w Identifier-standard:p"><xsl:value-of select="normalize-space(.)"/></z:index>
      </xsl:for-each>

      <!-- 4 title: 245, 246 variant, 240/130 uniform, 740 added, 773/830 host and series -->
      <xsl:for-each select="m:datafield[@tag='245']">
        <z:index name="Title:w Title:p Any:w">
          <xsl:call-template name="join"><xsl:with-param name="codes" select="'abfgknps'"/></xsl:call-template>
        </z:index>
        <xsl:variable name="skip"><xsl:call-template name="nonfiling"><xsl:with-param name="ind" select="@ind2"/></xsl:call-template></xsl:variable>
        <!-- sort and key without the non-filing article ("The ", "Der ") -->
        <z:index name="Title:s Title-key:p">
          <xsl:value-of select="substring(normalize-space(m:subfield[@code='a']), $skip + 1)"/>
          <xsl:text> </xsl:text>
          <xsl:value-of select="normalize-space(m:subfield[@code='b'])"/>
        </z:index>
      </xsl:for-each>
      <xsl:for-each select="m:datafield[@tag='246' or @tag='240' or @tag='130' or @tag='730' or @tag='740']">
        <z:index name="Title:w Title:p Any:w">
          <xsl:call-template name="join"><xsl:with-param name="codes" select="'abnp'"/></xsl:call-template>
        </z:index>
      </xsl:for-each>

      <!-- 880: the same fields in their original script, indexed like the field they pair -->
      <xsl:for-each select="m:datafield[@tag='880']">
        <xsl:variable name="pairs" select="substring(m:subfield[@code='6'], 1, 3)"/>
        <xsl:variable name="names">
          <xsl:choose>
            <xsl:when test="$pairs = '245' or $pairs = '246' or $pairs = '240' or $pairs = '130'">Title:w Title:p Any:w</xsl:when>
            <xsl:when test="starts-with($pairs, '1') or starts-with($pairs, '7')">Author:w Author:p Any:w</xsl:when>
            <xsl:when test="starts-with($pairs, '6')">Subject-heading:w Subject-heading:p Any:w</xsl:when>
            <xsl:otherwise>Any:w</xsl:otherwise>
          </xsl:choose>
        </xsl:variable>
        <z:index name="{$names}">
          <xsl:call-template name="join"><xsl:with-param name="codes" select="'abcdfgknpqtxyz'"/></xsl:call-template>
        </z:index>
      </xsl:for-each>

      <!-- 5 series -->
      <xsl:for-each select="m:datafield[@tag='490' or @tag='830' or @tag='440']">
        <z:index name="Title-series:w Title-series:p Any:w">
          <xsl:call-template name="join"><xsl:with-param name="codes" select="'anpv'"/></xsl:call-template>
        </z:index>
      </xsl:for-each>

      <!-- 1033 host item (articles, chapters) -->
      <xsl:for-each select="m:datafield[@tag='773']">
        <z:index name="Host-item:w Host-item:p Any:w">
          <xsl:call-template name="join"><xsl:with-param name="codes" select="'agt'"/></xsl:call-template>
        </z:index>
      </xsl:for-each>

      <!-- 1003 author (persons, bodies, meetings as authors); 1004 and 1 persons only -->
      <xsl:for-each select="m:datafield[@tag='100' or @tag='110' or @tag='111' or @tag='700' or @tag='710' or @tag='711']">
        <xsl:variable name="personal" select="@tag='100' or @tag='700'"/>
        <xsl:variable name="names">
          <xsl:text>Author:w Author:p Any:w</xsl:text>
          <xsl:if test="$personal"> Author-name-personal:w Author-name-personal:p Personal-name:w Personal-name:p Name:w</xsl:if>
          <xsl:if test="@tag='110' or @tag='710'"> Corporate-name:w Corporate-name:p Author-name-corporate:w Name:w</xsl:if>
          <xsl:if test="@tag='111' or @tag='711'"> Conference-name:w Conference-name:p Author-name-conference:w Name:w</xsl:if>
        </xsl:variable>
        <z:index name="{$names}">
          <xsl:call-template name="join"><xsl:with-param name="codes" select="'abcdq'"/></xsl:call-template>
        </z:index>
      </xsl:for-each>
      <xsl:for-each select="(m:datafield[@tag='100' or @tag='110' or @tag='111'])[1]">
        <z:index name="Author:s"><xsl:value-of select="normalize-space(m:subfield[@code='a'])"/></z:index>
      </xsl:for-each>

      <!-- 21 subject; 600 also counts as 1 personal name -->
      <xsl:for-each select="m:datafield[starts-with(@tag, '6')]">
        <z:index name="Subject-heading:w Subject-heading:p Any:w">
          <xsl:call-template name="join"><xsl:with-param name="codes" select="'abcdtvxyz'"/></xsl:call-template>
        </z:index>
        <xsl:if test="@tag='600'">
          <z:index name="Personal-name:w Personal-name:p Subject-name-personal:w">
            <xsl:call-template name="join"><xsl:with-param name="codes" select="'abcdq'"/></xsl:call-template>
          </z:index>
        </xsl:if>
      </xsl:for-each>

      <!-- 30 date, 31 date of publication: the year. Relations (ranges) need structure 4=4
           (year, index y) or 4=109 (numeric, index n): the ICU word index refuses them -->
      <xsl:if test="string-length($year) = 4">
        <z:index name="Date:w Date-of-publication:w Date:y Date-of-publication:y Date:n Date-of-publication:n Any:w"><xsl:value-of select="$year"/></z:index>
        <z:index name="Date:s Date-of-publication:s"><xsl:value-of select="$year"/></z:index>
      </xsl:if>

      <!-- 54 language: 008/35-37 and 041 $a -->
      <xsl:if test="string-length(normalize-space(substring($c008, 36, 3))) = 3">
        <z:index name="Code-language:w"><xsl:value-of select="substring($c008, 36, 3)"/></z:index>
      </xsl:if>
      <xsl:for-each select="m:datafield[@tag='041']/m:subfield[@code='a']">
        <z:index name="Code-language:w"><xsl:value-of select="normalize-space(.)"/></z:index>
      </xsl:for-each>

      <!-- 59 place, 1018 publisher -->
      <xsl:for-each select="m:datafield[@tag='260' or @tag='264']/m:subfield[@code='a']">
        <z:index name="Place-publication:w Place-publication:p Any:w"><xsl:value-of select="normalize-space(translate(., ':;[]', '    '))"/></z:index>
      </xsl:for-each>
      <xsl:for-each select="m:datafield[@tag='260' or @tag='264']/m:subfield[@code='b'] | m:datafield[@tag='502']/m:subfield[@code='c']">
        <z:index name="Publisher:w Publisher:p Any:w"><xsl:value-of select="normalize-space(translate(., ',;:', '   '))"/></z:index>
      </xsl:for-each>

      <!-- 63 notes, 62 abstract -->
      <xsl:for-each select="m:datafield[@tag='500' or @tag='502' or @tag='504' or @tag='505']">
        <z:index name="Note:w Any:w"><xsl:value-of select="normalize-space(.)"/></z:index>
      </xsl:for-each>
      <xsl:for-each select="m:datafield[@tag='520']">
        <z:index name="Abstract:w Any:w"><xsl:value-of select="normalize-space(m:subfield[@code='a'])"/></z:index>
      </xsl:for-each>

      <!-- 1031 material type from the leader: book, serial, article, thesis -->
      <z:index name="Material-type:w">
        <xsl:variable name="l7" select="substring(m:leader, 8, 1)"/>
        <xsl:choose>
          <xsl:when test="m:datafield[@tag='502']">thesis</xsl:when>
          <xsl:when test="$l7 = 's'">serial</xsl:when>
          <xsl:when test="$l7 = 'a' or $l7 = 'b'">article</xsl:when>
          <xsl:otherwise>book</xsl:otherwise>
        </xsl:choose>
      </z:index>

    </z:record>
  </xsl:template>
</xsl:stylesheet>
