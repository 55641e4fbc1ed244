"""Use cases: load what is needed, call the core, save, return results."""
