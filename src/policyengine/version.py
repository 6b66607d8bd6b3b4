"""The library's version, in a module of its own so that the on-disk cache and the front ends can
name it without importing the whole package."""

__version__ = "0.1.0"
