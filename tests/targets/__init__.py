"""Tests of app.targets: profiles, presets, logins, importers."""
