"""Database URLs as shown: the password never appears, the rest stays readable."""

from __future__ import annotations

import pytest

from kratom_journal.store.redaction import redact_text, redact_url

SECRET = "s3cr-et_Pw"


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            f"postgresql+psycopg://kj:{SECRET}@db.local:5432/journal",
            "postgresql+psycopg://kj:***@db.local:5432/journal",
        ),
        (  # percent-encoded characters in the password
            "postgresql+psycopg://kj:p%40ss%3Aw@db.local/journal",
            "postgresql+psycopg://kj:***@db.local/journal",
        ),
        (  # libpq's query parameters
            f"postgresql://db.local/journal?password={SECRET}&sslmode=require",
            "postgresql://db.local/journal?password=***&sslmode=require",
        ),
        (
            f"postgresql://kj@db.local/journal?sslpassword={SECRET}",
            "postgresql://kj@db.local/journal?sslpassword=***",
        ),
        (  # not parseable (port "abc"): still masked
            f"postgresql+psycopg://kj:{SECRET}@db.local:abc/journal",
            "postgresql+psycopg://kj:***@db.local:abc/journal",
        ),
        (  # a password holding "@": nothing of it is left
            "postgresql://kj:a@b@db.local/journal",
            "postgresql://kj:***@db.local/journal",
        ),
        ("postgresql://kj@db.local/journal", "postgresql://kj@db.local/journal"),
        ("sqlite:////home/me/journal.sqlite3", "sqlite:////home/me/journal.sqlite3"),
    ],
)
def test_a_url_is_shown_without_its_password(url: str, shown: str) -> None:
    assert redact_url(url) == shown


def test_a_drivers_message_loses_the_password_wherever_it_is_echoed() -> None:
    url = f"postgresql+psycopg://kj:{SECRET}@db.local/journal?password={SECRET}"
    message = (
        f'invalid connection option "x" in "user=kj password={SECRET}" '
        f"for {url} ({SECRET})"
    )
    shown = redact_text(message, url)
    assert SECRET not in shown
    assert shown.count("***") >= 3
