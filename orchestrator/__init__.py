"""Thin Python worker for the SQL-first integration sync & health package."""

__version__ = "0.3.0"
