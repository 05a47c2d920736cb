"""reelgen: local-first video generation with open models."""

__version__ = "0.1.0"
