"""Reporting's own records: an organisation's deck template."""

from .templates import DeckTemplate

__all__ = ["DeckTemplate"]
