"""Persistence of agencies, reports, answers and their history (SQLite or PostgreSQL)."""
