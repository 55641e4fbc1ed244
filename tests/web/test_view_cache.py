"""The Today view is reused only while the journal is unchanged within one second:
a write from anywhere, even another process, shows on the next load."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from kratom_journal.services.entries import DoseInput, log_dose
from kratom_journal.services.journal import Journal, open_journal
from kratom_journal.web.view_cache import ViewCache, next_second
from tests.web.conftest import START, ZONE, Client, Clock, texts


def total(client: Client) -> str:
    return texts(client.get("/").text, r'id="today-total">(.*?)<span')[0]


def test_a_dose_written_by_another_connection_shows_at_once(
    client: Client, journal: Journal
) -> None:
    assert total(client) == "0 g"
    assert client.get("/api/v1/today").json()["total_g"] == "0"
    # Another process (the CLI) opens the same file: its own engine and connections.
    assert journal.database.sqlite_path is not None
    other = open_journal(
        str(journal.database.sqlite_path), now=START, environ={"TZ": ZONE}
    )
    try:
        log_dose(other, DoseInput("2 g"), now=START)
    finally:
        other.close()
    # Same second on the app's clock: only the journal changed.
    assert total(client) == "2 g"
    assert client.get("/api/v1/today").json()["total_g"] == "2.000"


def test_time_moving_on_updates_the_page(client: Client, clock: Clock) -> None:
    client.post("/api/v1/doses", json={"amount": "2 g"})
    assert client.get("/api/v1/today").json()["minutes_since_last_dose"] == 0
    clock.advance(minutes=50)
    today = client.get("/api/v1/today").json()
    assert today["minutes_since_last_dose"] == 50
    assert today["due"] == []  # the 45-minute wait is over


def test_each_visitor_gets_their_own_token_on_a_shared_page(client: Client) -> None:
    first = client.get("/").text
    stranger = Client(client.app, base_url="http://127.0.0.1:8765")
    second = stranger.get("/").text
    mine = client.cookies["kj_csrf"]
    theirs = stranger.cookies["kj_csrf"]
    assert mine != theirs
    assert f'value="{mine}"' in first
    assert f'value="{theirs}"' in second
    assert f'value="{mine}"' not in second


def test_the_cache_computes_once_per_second_and_state(tmp_path: Path) -> None:
    opened = open_journal(str(tmp_path / "c.sqlite3"), now=START, environ={"TZ": ZONE})
    cache = ViewCache(opened.database.sqlite_path)
    calls: list[datetime] = []

    def compute(at: datetime) -> int:
        calls.append(at)
        return len(calls)

    now = datetime(2026, 11, 22, 14, 0, 0, 300000, tzinfo=UTC)
    assert cache.get("v", now, compute) == 1
    assert cache.get("v", now.replace(microsecond=900000), compute) == 1
    assert calls == [datetime(2026, 11, 22, 14, 0, 1, tzinfo=UTC)]  # rounded up
    log_dose(opened, DoseInput("1 g"), now=START)  # a commit: a new state
    assert cache.get("v", now, compute) == 2
    assert cache.get("v", now.replace(second=1), compute) == 3  # the next second
    cache.close()  # the app's shutdown; a test client may start it again
    assert cache.get("v", now.replace(second=1), compute) == 4
    cache.close()
    opened.close()


def test_next_second_rounds_up_only_a_fraction() -> None:
    whole = datetime(2026, 1, 1, 12, 0, 5, tzinfo=UTC)
    assert next_second(whole) == whole
    assert next_second(whole.replace(microsecond=1)) == whole.replace(second=6)
