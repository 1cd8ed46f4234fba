"""Exports: pure functions from records to RIS, BibTeX, CSL-JSON, MARC, MARCXML."""
