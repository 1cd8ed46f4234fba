<?xml version="1.0" encoding="UTF-8"?>
<!--
  MARCXML -> brief MARCXML (element set B): the fields a result list shows - control number,
  identifiers, main entry, title, edition, imprint - everything else dropped.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:m="http://www.loc.gov/MARC21/slim"
    exclude-result-prefixes="m">
  <xsl:output method="xml" encoding="UTF-8"/>

  <xsl:template match="/">
    <xsl:apply-templates select="//m:record[1]"/>
  </xsl:template>

  <xsl:template match="m:record">
    <record xmlns="http://www.loc.gov/MARC21/slim">
      <xsl:copy-of select="m:leader | m:controlfield[@tag='001' or @tag='003' or @tag='008']"/>
      <xsl:copy-of select="m:datafield[@tag='010' or @tag='020' or @tag='022' or @tag='100' or @tag='110' or @tag='111' or @tag='245' or @tag='250' or @tag='260' or @tag='264']"/>
    </record>
  </xsl:template>
</xsl:stylesheet>
