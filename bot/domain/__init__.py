"""Frozen models, pure rules and domain errors. Imports only the standard library and pydantic."""
