"""Functional core: records, quantities, time and day arithmetic.

Standard library only; no I/O, no clock, no database. Callers pass `now`.
"""
