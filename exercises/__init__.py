"""Sources and build tooling of the "Your turn" exercises (see build.py); not installed with the course."""
