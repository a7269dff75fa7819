"""Pure models: plain functions with units in their names or docstrings, no UI."""
