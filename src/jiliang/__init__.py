"""Jiliang (计量): an open platform for a region's metrology system."""

__version__ = "0.1.0"
