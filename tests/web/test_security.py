"""Security for a local health app: Host allow-list, cross-origin refusal, CSRF,
strict headers, no directory listing, loopback only; and the checkers themselves."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import Client, Live, accessibility_problems


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8765", "192.168.1.20"])
def test_a_foreign_host_header_is_refused(client: Client, host: str) -> None:
    # DNS rebinding: another site's name resolving to 127.0.0.1.
    response = client.get("/api/v1/today", headers={"host": host})
    assert response.status_code == 400
    assert response.text == "Invalid Host header"


@pytest.mark.parametrize("host", ["127.0.0.1:8765", "localhost:8765", "localhost"])
def test_loopback_names_are_served(client: Client, host: str) -> None:
    assert client.get("/api/v1/today", headers={"host": host}).status_code == 200


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": "https://evil.example"},
        {"sec-fetch-site": "cross-site"},
        {"sec-fetch-site": "same-site", "origin": "http://127.0.0.1:8765"},
    ],
)
def test_cross_origin_writes_are_refused_and_save_nothing(
    client: Client, headers: dict[str, str]
) -> None:
    api = client.post("/api/v1/doses", json={"amount": "2 g"}, headers=headers)
    form = client.post(
        "/doses",
        data={"amount": "2 g", "csrf_token": client.token()},
        headers=headers,
    )
    assert (api.status_code, form.status_code) == (403, 403)
    assert client.get("/api/v1/today").json()["doses"] == []


def test_same_origin_browser_writes_and_scripts_are_allowed(client: Client) -> None:
    browser = client.post(
        "/api/v1/doses",
        json={"amount": "1 g"},
        headers={"origin": "http://127.0.0.1:8765", "sec-fetch-site": "same-origin"},
    )
    script = client.post("/api/v1/doses", json={"amount": "1 g"})  # curl: no Origin
    assert (browser.status_code, script.status_code) == (201, 201)


def test_a_form_without_a_csrf_cookie_is_refused(client: Client) -> None:
    token = client.token()
    client.cookies.clear()
    response = client.post("/doses", data={"amount": "2 g", "csrf_token": token})
    assert response.status_code == 403


def test_pages_carry_a_strict_policy_and_are_not_cached(client: Client) -> None:
    response = client.get("/")
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy
    assert "script-src 'self';" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie


def test_pages_load_nothing_from_elsewhere(client: Client) -> None:
    page = client.get("/").text
    assert "http://" not in page.replace("http://127.0.0.1", "")
    assert "https://" not in page
    assert "<script>" not in page  # no inline scripts: all code is in /static


def test_static_files_are_served_but_folders_are_not_listed(client: Client) -> None:
    assert client.get("/static/app.css").status_code == 200
    assert client.get("/static/").status_code == 404
    assert client.get("/static").status_code == 404
    assert client.get("/static/../app.py").status_code == 404


def test_unknown_pages_and_api_paths_are_404(client: Client) -> None:
    page = client.get("/no-such-page")
    assert page.status_code == 404
    assert "There is no such page" in page.text
    api = client.get("/api/v1/no-such-thing")
    assert api.status_code == 404
    assert api.json() == {"detail": "Not Found"}


def test_the_interactive_docs_are_off_but_the_spec_is_served(client: Client) -> None:
    # Swagger UI would load scripts from a CDN.
    assert client.get("/docs").status_code == 404
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["info"]["title"] == "Kratom Journal API"
    assert "/api/v1/today" in spec["paths"]


def test_a_non_json_body_is_a_client_error_not_a_crash(app: Any) -> None:
    with TestClient(
        app, base_url="http://127.0.0.1:8765", raise_server_exceptions=False
    ) as raw:
        response = raw.post(
            "/api/v1/doses",
            content=b"{not json",
            headers={"content-type": "application/json"},
        )
    assert 400 <= response.status_code < 500


def test_the_accessibility_checker_reports_a_real_problem(
    page: Any, live: Live
) -> None:
    # The axe helper must be able to fail: an unlabelled input and an image
    # without alt text are serious/critical violations.
    page.set_content('<html lang="en"><title>t</title><input><img src="data:,">')
    problems = " ".join(accessibility_problems(page))
    assert "label" in problems
    assert "image-alt" in problems


# -- `kratom serve` --------------------------------------------------------------------


KRATOM = str(Path(sys.executable).with_name("kratom"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_refuses_a_port_in_use_naming_the_field(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [KRATOM, "--db", str(tmp_path / "j.db"), "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "TZ": "UTC"},
        )
    assert result.returncode == 2
    assert f"port: {port} cannot be used" in result.stderr


def test_serve_listens_on_loopback_only(tmp_path: Path) -> None:
    from urllib.request import urlopen

    port = _free_port()
    server = subprocess.Popen(
        [KRATOM, "--db", str(tmp_path / "j.db"), "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "TZ": "UTC"},
    )
    try:
        assert server.stdout is not None
        banner = server.stdout.readline()  # printed once the socket is bound
        assert banner.startswith(f"Kratom Journal at http://127.0.0.1:{port}/")
        with urlopen(f"http://127.0.0.1:{port}/api/v1/today", timeout=30) as ok:
            assert ok.status == 200
        sockets = subprocess.run(
            ["ss", "-Hltn", f"sport = :{port}"], capture_output=True, text=True
        ).stdout.splitlines()
        # State, Recv-Q, Send-Q, local address: only the loopback address listens.
        assert [line.split()[3] for line in sockets] == [f"127.0.0.1:{port}"]
    finally:
        server.terminate()
        server.communicate(timeout=30)
