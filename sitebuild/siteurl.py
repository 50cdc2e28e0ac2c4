"""What makes a SITEURL one every link of a production build can start with: an absolute http(s)
address, with no user, password, query or fragment, written as links must be. Used by the
build before it renders and by deploy before it ships (a stamp made before the check)."""

import shlex
from urllib.parse import quote, urlsplit

from . import MAKE_COMMAND

URL_PATH_SAFE = "/%!$&'()*+,;=:@~"  # RFC 3986's path characters besides letters, digits and -._


def unusable_siteurl(siteurl: str) -> str | None:
    """Why a production build for ``siteurl`` would publish broken links or what is not an address,
    with the command that builds for the address meant; None for an absolute http(s) address."""
    reasons, host = [], ""
    if "://" not in siteurl or siteurl.split("://")[0].lower() not in ("http", "https"):
        reasons.append("is not an http(s) address, so every link would lead nowhere")
        siteurl = f"https://{siteurl}" if "://" not in siteurl else ""
    try:  # an unclosed "[" names no host
        parts = urlsplit(siteurl)
        host = parts.hostname or ""
        port = parts.port
    except ValueError as error:
        if "port" in str(error).lower():  # urllib's words: the host was read
            reasons.append("has a port that is not a number from 1 to 65535")
            port = None
    if not host or any(character.isspace() for character in host):
        reason = reasons[0] if reasons else "names no host a site can be served from"
        return (
            f"{reason}: run `{MAKE_COMMAND} publish --siteurl URL` (or set SITEURL) with the site's address"
        )
    if parts.username is not None or parts.password is not None:
        reasons.append("holds a user name or password, which every page would publish")
    if parts.query or parts.fragment or siteurl.endswith(("?", "#")):
        reasons.append("has a query or fragment, which every link would carry in its middle")
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        ascii_host = host
    path = parts.path.rstrip("/")
    if ascii_host != host or quote(path, safe=URL_PATH_SAFE) != path:
        reasons.append("is not written as links must be: a host in ASCII, spaces and accents as %XX")
    if not reasons:
        return None
    host = f"[{ascii_host}]" if ":" in ascii_host else ascii_host
    fixed = f"{parts.scheme.lower()}://{host}{f':{port}' if port else ''}{quote(path, safe=URL_PATH_SAFE)}"
    return (
        f"{' and '.join(reasons)}; if the site is served from {fixed}, run "
        f"`{MAKE_COMMAND} publish --siteurl {shlex.quote(fixed)}` (or set SITEURL to it)"
    )
