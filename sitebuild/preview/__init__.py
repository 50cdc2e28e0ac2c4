"""The author's preview: server.py serves a built site or the live preview, which live.py
rebuilds in its own process, showing early_page.py's page first."""
