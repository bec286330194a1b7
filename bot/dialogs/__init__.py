"""Guided conversations, each defined once as a flow of typed steps (see engine.py)."""
