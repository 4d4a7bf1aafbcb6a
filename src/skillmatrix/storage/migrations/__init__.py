"""Alembic migrations of the assessment store, shipped as package data."""
