"""The course book (Jupyter Book 1, offline) and the printable handouts: see book/build.py."""
