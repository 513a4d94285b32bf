"""One module per schema change (Alembic revisions)."""
