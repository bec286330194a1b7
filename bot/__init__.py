"""Shangliang (商量): the channel-agnostic core and the composition root."""

__version__ = "0.1.0"
