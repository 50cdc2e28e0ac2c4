"""Measurements, never timed test assertions: build at scale against plain Pelican
(scale.py), page weight (page_weight.py), a first search's weight (search_weight.py),
Lighthouse (audit.py) and a load check of nginx (load.py)."""
