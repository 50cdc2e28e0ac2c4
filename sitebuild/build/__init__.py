"""The build: pipeline.py runs lint → render → search index → finishing → stamp → swap;
the other modules are its steps. Imports checks/, never preview/ or deploy/."""
