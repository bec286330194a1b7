"""Numbered, forward-only SQL migrations. Never edit one that has been applied."""
