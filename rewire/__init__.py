"""Rewire: a self-hostable app for pain reprocessing therapy and a pain diary."""

__version__ = "0.1.0"
