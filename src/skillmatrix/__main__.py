"""`python -m skillmatrix` runs the command line."""

from skillmatrix.cli import run

run()
