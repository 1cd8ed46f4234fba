"""Polycat's tests; a package so that bench/ can import tests.peers and tests.corpus."""
