"""The site's own Pelican plugins and Markdown extensions, named in pelicanconf.py's PLUGINS
as ``plugins.NAME``. Each module's docstring says why no maintained plugin does its job."""
