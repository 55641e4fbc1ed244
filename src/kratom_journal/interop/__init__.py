"""Exchange with other programs: calendar files (and, later, FHIR and other journals)."""
