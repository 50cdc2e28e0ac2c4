"""Deploy: ship.py sends a verified production build (build/stamp.py) to a host."""
