"""Tests that keep docs/ true to the code."""
