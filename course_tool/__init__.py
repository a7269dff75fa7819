"""The parts of course.py (the course's entry point) that are not about installing:
shared messages, demo mode and the Binder/nbgitpuller links. Standard library only, and
parseable on Python 3.7+, like course.py itself: they run before .venv exists."""
