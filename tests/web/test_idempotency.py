"""Idempotent writes, on both databases: a write retried with its Idempotency-Key
(the answer was lost) gets the first answer and is stored once."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

import pytest

from kratom_journal.domain.errors import InputError
from kratom_journal.services.idempotency import claim_key
from kratom_journal.services.journal import Journal, open_journal
from kratom_journal.web.idempotency import _fingerprint
from tests.web.conftest import START, ZONE, Client, Clock

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

KEY = "6f1d2c7e-3b1a-4c55-9d0e-1f2a3b4c5d6e"


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
    ]
)
def journal(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Journal]:
    if request.param == "sqlite":
        url = str(tmp_path / "web.sqlite3")
    else:
        url = request.getfixturevalue("postgres_url")
    opened = open_journal(url, now=START, environ={"TZ": ZONE})
    yield opened
    opened.close()


# (path, body, where the entries are listed, the list's key)
WRITES = [
    ("/api/v1/doses", {"amount": "2 g"}, "/api/v1/history", "doses"),
    ("/api/v1/checkins", {"pain": 4}, "/api/v1/history", "checkins"),
    ("/api/v1/intakes", {"name": "beer"}, "/api/v1/history", "intakes"),
    ("/api/v1/medications", {"name": "gabapentin"}, "/api/v1/medications", None),
    ("/api/v1/products", {"name": "Red Bali"}, "/api/v1/products", "products"),
]


def count(client: Client, listing: str, key: str | None) -> int:
    body = client.get(listing).json()
    return len(body[key or "medications"])


@pytest.mark.parametrize(("path", "body", "listing", "key"), WRITES)
def test_a_retried_write_is_answered_again_and_stored_once(
    client: Client, path: str, body: dict[str, Any], listing: str, key: str | None
) -> None:
    headers = {"Idempotency-Key": KEY}
    first = client.post(path, json=body, headers=headers)
    assert first.status_code == 201, first.text
    retry = client.post(path, json=body, headers=headers)
    assert (retry.status_code, retry.json()) == (201, first.json())
    assert retry.headers["idempotent-replayed"] == "true"
    assert retry.headers["kratom-change"] == first.headers["kratom-change"]
    assert count(client, listing, key) == 1
    # Without a key, the same body is a new write.
    client.post(path, json=body if key != "products" else {"name": "Green Maeng Da"})
    assert count(client, listing, key) == 2


def test_the_same_key_with_another_request_is_refused(client: Client) -> None:
    headers = {"Idempotency-Key": KEY}
    assert (
        client.post("/api/v1/doses", json={"amount": "2 g"}, headers=headers)
    ).status_code == 201
    for path, body in (
        ("/api/v1/doses", {"amount": "3 g"}),
        ("/api/v1/checkins", {"pain": 4}),
    ):
        other = client.post(path, json=body, headers=headers)
        assert other.status_code == 422
        [problem] = other.json()["detail"]
        assert problem["field"] == "Idempotency-Key"
        assert "already used for a different request" in problem["problem"]
    history = client.get("/api/v1/history").json()
    assert [d["quantity"] for d in history["doses"]] == ["2 g"]
    assert history["checkins"] == []


def test_a_failed_write_lets_its_key_go_and_a_bad_key_is_refused(
    client: Client,
) -> None:
    headers = {"Idempotency-Key": KEY}
    bad = client.post("/api/v1/doses", json={"amount": "0 g"}, headers=headers)
    assert bad.status_code == 422
    fixed = client.post("/api/v1/doses", json={"amount": "1 g"}, headers=headers)
    assert fixed.status_code == 201
    for key in (b"", b"x" * 256, b"has space", "ünï".encode()):
        refused = client.post(
            "/api/v1/doses", json={"amount": "1 g"}, headers={"Idempotency-Key": key}
        )
        assert refused.status_code == 422, key
        assert refused.json()["detail"][0]["field"] == "Idempotency-Key"
    assert len(client.get("/api/v1/history").json()["doses"]) == 1


def test_keys_are_kept_a_day(client: Client, clock: Clock) -> None:
    headers = {"Idempotency-Key": KEY}
    client.post("/api/v1/checkins", json={"pain": 4}, headers=headers)
    clock.advance(hours=23, minutes=59)
    again = client.post("/api/v1/checkins", json={"pain": 4}, headers=headers)
    assert again.headers.get("idempotent-replayed") == "true"
    clock.advance(hours=1)
    later = client.post("/api/v1/checkins", json={"pain": 4}, headers=headers)
    assert (later.status_code, later.headers.get("idempotent-replayed")) == (201, None)
    assert len(client.get("/api/v1/history?days=7").json()["checkins"]) == 2


def test_a_retry_while_the_first_request_runs_is_told_to_wait(
    client: Client, journal: Journal, clock: Clock
) -> None:
    body = b'{"amount": "2 g"}'
    scope = {"method": "POST", "path": "/api/v1/doses", "query_string": b""}
    # The first request has claimed the key and not answered yet.
    assert claim_key(journal, KEY, _fingerprint(scope, body), now=clock.now) is None

    def retry() -> Any:
        return client.post(
            "/api/v1/doses",
            content=body,
            headers={"Idempotency-Key": KEY, "Content-Type": "application/json"},
        )

    waiting = retry()
    assert waiting.status_code == 409
    assert "still being processed" in waiting.json()["detail"]
    clock.advance(minutes=10)  # ...and never will: the server stopped
    stale = retry()
    assert stale.status_code == 409
    assert "look in History whether it was saved" in stale.json()["detail"]
    assert client.get("/api/v1/history").json()["doses"] == []


def test_concurrent_claims_of_one_key_let_one_request_run(journal: Journal) -> None:
    threads = 6
    barrier = threading.Barrier(threads, timeout=30)
    results: list[Any] = [None] * threads

    def claim(index: int) -> None:
        barrier.wait()
        try:
            results[index] = claim_key(journal, KEY, "same request", now=START)
        except InputError as error:
            results[index] = error

    workers = [threading.Thread(target=claim, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
        assert not worker.is_alive()
    claimed = [r for r in results if r is None]
    waiting = [r for r in results if r is not None]
    assert len(claimed) == 1, results
    # The others see the key held, with no answer yet: they are told to retry.
    assert all(r.status is None and r.fingerprint == "same request" for r in waiting)
