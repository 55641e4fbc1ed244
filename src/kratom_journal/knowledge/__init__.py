"""Versioned health-fact data files, each entry with sources, as-of date and confidence."""
