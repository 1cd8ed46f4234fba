<?xml version="1.0" encoding="UTF-8"?>
<!-- The stored MARCXML as it is, serialised as UTF-8 text (not as &#x...; references). -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:output method="xml" encoding="UTF-8"/>
  <xsl:template match="/">
    <xsl:copy-of select="*"/>
  </xsl:template>
</xsl:stylesheet>
