"""The author's preview: server.py serves the site; live.py rebuilds it in-process, an early page first."""
