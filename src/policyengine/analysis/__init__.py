"""Analyses over the scenario space: diff, compare and implies between instruments, and consistency checks."""
