<?xml version="1.0" encoding="UTF-8"?>
<!--
  MARCXML -> SUTRS: a readable plain-text record, one "Label: value" per line, the way a
  catalogue prints a full display. Repeated things (authors, subjects, ISBNs) repeat the label.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:m="http://www.loc.gov/MARC21/slim">
  <xsl:include href="common.xsl"/>
  <xsl:output method="text" encoding="UTF-8"/>

  <xsl:template match="/">
    <xsl:apply-templates select="//m:record[1]"/>
  </xsl:template>

  <xsl:template name="line">
    <xsl:param name="label"/>
    <xsl:param name="value"/>
    <xsl:if test="normalize-space($value) != ''">
      <xsl:value-of select="$label"/><xsl:text>: </xsl:text>
      <xsl:value-of select="normalize-space($value)"/><xsl:text>&#10;</xsl:text>
    </xsl:if>
  </xsl:template>

  <xsl:template match="m:record">
    <xsl:for-each select="m:datafield[@tag='245']">
      <xsl:call-template name="line">
        <xsl:with-param name="label">Title</xsl:with-param>
        <xsl:with-param name="value"><xsl:call-template name="join"><xsl:with-param name="codes" select="'abnp'"/></xsl:call-template></xsl:with-param>
      </xsl:call-template>
      <xsl:call-template name="line">
        <xsl:with-param name="label">Statement of responsibility</xsl:with-param>
        <xsl:with-param name="value"><xsl:call-template name="join"><xsl:with-param name="codes" select="'c'"/></xsl:call-template></xsl:with-param>
      </xsl:call-template>
    </xsl:for-each>
    <xsl:for-each select="m:datafield[@tag='100' or @tag='110' or @tag='111' or @tag='700' or @tag='710' or @tag='711']">
      <xsl:call-template name="line">
        <xsl:with-param name="label">Author</xsl:with-param>
        <xsl:with-param name="value"><xsl:call-template name="join"><xsl:with-param name="codes" select="'abcdnq'"/></xsl:call-template></xsl:with-param>
      </xsl:call-template>
    </xsl:for-each>
    <xsl:for-each select="m:datafield[@tag='250']">
      <xsl:call-template name="line">
        <xsl:with-param name="label">Edition</xsl:with-param>
        <xsl:with-param name="value"><xsl:call-template name="join"><xsl:with-param name="codes" select="'ab'"/></xsl:call-template></xsl:with-param>
      </xsl:call-template>
    </xsl:for-each>
    <xsl:for-each select="m:datafield[@tag='260' or @tag='264']">
      <xsl:call-template name="line">
        <xsl:with-param name="label">Published</xsl:with-param>
        <xsl:with-param name="value"><xsl:call-template name="join"><xsl:with-param name="codes" select="'abc'"/></xsl:call-template></xsl:with-param>
      </xsl:call-template>
    </xsl:for-each>
    <xsl:call-template name="line">
      <xsl:with-param name="label">Year</xsl:with-param>
      <xsl:with-param name="value"><xsl:call-template name="year"/></xsl:with-param>
    </xsl:call-template>
    <xsl:for-each select="m:datafield[@tag='300']">
      <xsl:call-template name="line">
        <xsl:with-param name="label">Description</xsl:with-param>
        <xsl:with-param name="value"><xsl:call-template name="join"><xsl:with-param name="codes" select="'abce'"/></xsl:call-template></xsl:with-param>
      </xsl:call-template>
    </xsl:for-each>
    <xsl:for-each select="m:datafield[@tag='490' or @tag='830']">
      <xsl:call-template name="line">
        <xsl:with-param name="label">Series</xsl:with-param>
        <xsl:with-param name="value"><xsl:call-template name="join"><xsl:with-param name="codes" select="'anpv'"/></xsl:call-template></xsl:with-param>
      </xsl:call-template>
    </xsl:for-each>
    <xsl:for-each select="m:datafield[@tag='773']">
      <xsl:call-template name="line">
        <xsl:with-param name="label">In</xsl:with-param>
        <xsl:with-param name="value"><xsl:call-template name="join"><xsl:with-param name="codes" select="'atdg'"/></xsl:call-template></xsl:with-param>
      </xsl:call-template>
    </xsl:for-each>
    <xsl:for-each select="m:datafield[starts-with(@tag, '6')]">
      <xsl:call-template name="line">
        <xsl:with-param name="label">Subject</xsl:with-param>
        <xsl:with-param name="value">
          <xsl:for-each select="m:subfield[contains('abcdtvxyz', @code) and string-length(@code) = 1]">
            <xsl:if test="position() &gt; 1"><xsl:text> -- </xsl:text></xsl:if>
            <xsl:call-template name="chop"><xsl:with-param name="text" select="."/></xsl:call-template>
          </xsl:for-each>
        </xsl:with-param>
      </xsl:call-template>
    </xsl:for-each>
    <xsl:for-each select="m:datafield[@tag='020']/m:subfield[@code='a']">
      <xsl:call-template name="line">
        <xsl:with-param name="label">ISBN</xsl:with-param>
        <xsl:with-param name="value"><xsl:value-of select="."/><xsl:for-each select="../m:subfield[@code='q']"> (<xsl:value-of select="."/>)</xsl:for-each></xsl:with-param>
      </xsl:call-template>
    </xsl:for-each>
    <xsl:for-each select="m:datafield[@tag='020']/m:subfield[@code='z']">
      <xsl:call-template name="line">
        <xsl:with-param name="label">Cancelled ISBN</xsl:with-param>
        <xsl:with-param name="value" select="."/>
      </xsl:call-template>
    </xsl:for-each>
    <xsl:for-each select="m:datafield[@tag='022']/m:subfield[@code='a']">
      <xsl:call-template name="line">
        <xsl:with-param name="label">ISSN</xsl:with-param>
        <xsl:with-param name="value" select="."/>
      </xsl:call-template>
    </xsl:for-each>
    <xsl:for-each select="m:datafield[@tag='010']/m:subfield[@code='a']">
      <xsl:call-template name="line">
        <xsl:with-param name="label">LCCN</xsl:with-param>
        <xsl:with-param name="value" select="."/>
      </xsl:call-template>
    </xsl:for-each>
    <xsl:for-each select="m:datafield[@tag='500' or @tag='502' or @tag='504']">
      <xsl:call-template name="line">
        <xsl:with-param name="label">Note</xsl:with-param>
        <xsl:with-param name="value"><xsl:value-of select="m:subfield[@code='a']"/></xsl:with-param>
      </xsl:call-template>
    </xsl:for-each>
    <xsl:for-each select="m:datafield[@tag='520']">
      <xsl:call-template name="line">
        <xsl:with-param name="label">Summary</xsl:with-param>
        <xsl:with-param name="value"><xsl:value-of select="m:subfield[@code='a']"/></xsl:with-param>
      </xsl:call-template>
    </xsl:for-each>
    <xsl:call-template name="line">
      <xsl:with-param name="label">Language</xsl:with-param>
      <xsl:with-param name="value" select="substring(m:controlfield[@tag='008'], 36, 3)"/>
    </xsl:call-template>
    <xsl:for-each select="m:datafield[@tag='856']/m:subfield[@code='u']">
      <xsl:call-template name="line">
        <xsl:with-param name="label">Online</xsl:with-param>
        <xsl:with-param name="value" select="."/>
      </xsl:call-template>
    </xsl:for-each>
    <xsl:for-each select="m:datafield[@tag='852']">
      <xsl:call-template name="line">
        <xsl:with-param name="label">Held by</xsl:with-param>
        <xsl:with-param name="value"><xsl:call-template name="join"><xsl:with-param name="codes" select="'abh'"/></xsl:call-template></xsl:with-param>
      </xsl:call-template>
    </xsl:for-each>
    <xsl:for-each select="m:datafield[@tag='948']">
      <xsl:call-template name="line">
        <xsl:with-param name="label">Held by</xsl:with-param>
        <xsl:with-param name="value"><xsl:value-of select="m:subfield[@code='d']"/> (<xsl:value-of select="m:subfield[@code='c']"/>) <xsl:value-of select="m:subfield[@code='a']"/><xsl:for-each select="m:subfield[@code='b']"><xsl:text> </xsl:text><xsl:value-of select="."/></xsl:for-each></xsl:with-param>
      </xsl:call-template>
    </xsl:for-each>
    <xsl:call-template name="line">
      <xsl:with-param name="label">Record number</xsl:with-param>
      <xsl:with-param name="value" select="m:controlfield[@tag='001']"/>
    </xsl:call-template>
  </xsl:template>
</xsl:stylesheet>
