"""Kratom Journal."""

__version__ = "0.1.0"
