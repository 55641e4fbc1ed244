"""Persistence: SQLAlchemy schema, Alembic migrations and repositories. All SQL lives here."""
