"""What the tests and the benchmarks both use to put a built site in front of a reader:
real nginx with deploy/nginx.conf, a local HTTP server, Debian's headless Chromium.

Kept apart from sitebuild/, which is the build and nothing else: no build imports this.
"""
