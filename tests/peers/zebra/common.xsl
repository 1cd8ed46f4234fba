<?xml version="1.0" encoding="UTF-8"?>
<!-- Helpers shared by the retrieval stylesheets (included, never used alone). -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:m="http://www.loc.gov/MARC21/slim">

  <!-- drop trailing ISBD punctuation (" /", " :", " ;", ",", "=", and a final "." unless the
       text ends in an initial or abbreviation such as "J." - kept when the word is one letter) -->
  <xsl:template name="chop">
    <xsl:param name="text"/>
    <xsl:variable name="t" select="normalize-space($text)"/>
    <xsl:variable name="last" select="substring($t, string-length($t))"/>
    <xsl:choose>
      <xsl:when test="$t = ''"/>
      <xsl:when test="contains('/:;,=', $last)">
        <xsl:call-template name="chop">
          <xsl:with-param name="text" select="substring($t, 1, string-length($t) - 1)"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:when test="$last = '.' and substring($t, string-length($t) - 2, 1) != ' '">
        <xsl:value-of select="substring($t, 1, string-length($t) - 1)"/>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$t"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- the listed subfields of the context field, blank-separated, punctuation chopped -->
  <xsl:template name="join">
    <xsl:param name="codes"/>
    <xsl:variable name="joined">
      <xsl:for-each select="m:subfield[contains($codes, @code) and string-length(@code) = 1]">
        <xsl:if test="position() &gt; 1"><xsl:text> </xsl:text></xsl:if>
        <xsl:value-of select="normalize-space(.)"/>
      </xsl:for-each>
    </xsl:variable>
    <xsl:call-template name="chop"><xsl:with-param name="text" select="$joined"/></xsl:call-template>
  </xsl:template>

  <!-- the number of non-filing characters of a title field (245 ind2, 240/130 ind1/ind2) -->
  <xsl:template name="nonfiling">
    <xsl:param name="ind"/>
    <xsl:choose>
      <xsl:when test="string(number($ind)) != 'NaN'"><xsl:value-of select="number($ind)"/></xsl:when>
      <xsl:otherwise>0</xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- the year of publication: 008/07-10 when four digits, else the first digits of 26x $c -->
  <xsl:template name="year">
    <xsl:variable name="y008" select="substring(m:controlfield[@tag='008'], 8, 4)"/>
    <xsl:variable name="c" select="(m:datafield[@tag='260'] | m:datafield[@tag='264'])[1]/m:subfield[@code='c']"/>
    <xsl:variable name="digits" select="translate($c, translate($c, '0123456789', ''), '')"/>
    <xsl:choose>
      <xsl:when test="string-length($y008) = 4 and translate($y008, '0123456789', '') = ''">
        <xsl:value-of select="$y008"/>
      </xsl:when>
      <xsl:when test="string-length($digits) &gt;= 4"><xsl:value-of select="substring($digits, 1, 4)"/></xsl:when>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
