"""Database URLs as they may be shown: never with a password.

Every message, page, log line and `--json` output that names a database goes
through `redact_url`; a driver's error text goes through `redact_text`, in case
the driver echoes what it was given.
"""

from __future__ import annotations

import re

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

HIDDEN = "***"
_ESCAPED_HIDDEN = "%2A%2A%2A"  # HIDDEN as render_as_string writes it in a query
# libpq also takes the password (and a client key's passphrase) as a query
# parameter: ?password=... or ?sslpassword=...
_SECRET_QUERY_KEY = re.compile(r"pass", re.IGNORECASE)
# For text that is not a URL SQLAlchemy can parse: "scheme://user:secret@"
_USERINFO_SECRET = re.compile(r"(://[^/@:\s]*:)[^/\s]*(@)")
_QUERY_SECRET = re.compile(r"((?:^|[?&\s])[^=&\s]*pass[^=&\s]*=)[^&\s]*", re.I)


def redact_url(url: str | URL) -> str:
    """The URL with its password (in the user part or the query) replaced by ***."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        # Not parseable (e.g. a port "abc"): mask what looks like a secret.
        return _mask(str(url))
    secret_keys = [key for key in parsed.query if _SECRET_QUERY_KEY.search(key)]
    if secret_keys:
        parsed = parsed.update_query_dict(dict.fromkeys(secret_keys, HIDDEN))
    shown = parsed.render_as_string(hide_password=True)
    # _mask too: an unescaped "@" in a password makes SQLAlchemy read part of it
    # as the host name.
    return _mask(shown.replace(_ESCAPED_HIDDEN, HIDDEN))


def redact_text(text: str, url: str | URL) -> str:
    """`text` (e.g. a driver's error) with `url`'s secrets masked wherever they appear."""
    for secret in _secrets(url):
        text = text.replace(secret, HIDDEN)
    return _mask(text)


def _mask(text: str) -> str:
    return _QUERY_SECRET.sub(
        rf"\1{HIDDEN}", _USERINFO_SECRET.sub(rf"\1{HIDDEN}\2", text)
    )


def _secrets(url: str | URL) -> list[str]:
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        return []
    found = [parsed.password] if parsed.password else []
    for key, value in parsed.query.items():
        if _SECRET_QUERY_KEY.search(key):
            found.extend([value] if isinstance(value, str) else value)
    return [str(secret) for secret in found if secret]
