"""The author's preview: server.py serves a built site or the live preview, which watching.py
rebuilds through live_build.py's warm process, showing early_page.py's page first."""
