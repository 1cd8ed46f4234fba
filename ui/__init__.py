"""Polycat's window (PySide6 + qasync). Depends on app, never the other way."""
