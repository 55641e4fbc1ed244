"""`kratom serve`: the web app and JSON API on 127.0.0.1."""

from __future__ import annotations

from typing import Any

import click

from kratom_journal.cli.context import AppContext, pass_app

HOST = "127.0.0.1"  # never another interface: the journal holds health data


@click.command("serve")
@click.option(
    "--port",
    default=8765,
    show_default=True,
    type=click.IntRange(1, 65535),
    help="Port on 127.0.0.1.",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the app in a browser.")
@pass_app
def serve_command(app: AppContext, port: int, open_browser: bool) -> None:
    """Start the web app on http://127.0.0.1:PORT (local only; Ctrl+C stops it)."""
    import socket

    import uvicorn

    from kratom_journal.domain.errors import InputError
    from kratom_journal.web.app import create_app

    # Bind first, so a port in use is a clear error rather than a traceback.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((HOST, port))
        sock.listen(128)  # requests queue from now on, even before the app is up
    except OSError as error:
        sock.close()
        raise InputError("port", f"{port} cannot be used: {error.strerror}") from None
    clock = None
    if app.environ.get("KRATOM_NOW"):
        fixed = app.now
        clock = lambda: fixed  # noqa: E731 - a fixed clock for demos and scripts
    web_app = (
        create_app(app.journal)
        if clock is None
        else create_app(app.journal, clock=clock)
    )
    url = f"http://{HOST}:{port}/"
    click.echo(f"Kratom Journal at {url} (local only; Ctrl+C stops it)")
    if open_browser and _has_display(app.environ):
        import threading
        import webbrowser

        threading.Timer(0.5, webbrowser.open, args=(url,)).start()
    elif open_browser:
        click.echo("No graphical display here: open the address above in a browser.")
    uvicorn.Server(server_config(web_app)).run(sockets=[sock])


def server_config(web_app: Any) -> Any:
    """uvicorn's settings. No access log: paths and queries can carry health data
    (e.g. the safety check's product name); warnings and errors still show, an
    error without its message (see web/log_privacy.py)."""
    import uvicorn

    from kratom_journal.web.log_privacy import withhold_error_messages

    config = uvicorn.Config(
        web_app, log_level="warning", access_log=False, proxy_headers=False
    )
    withhold_error_messages()  # after Config, which sets up uvicorn's loggers
    return config


def _has_display(environ: dict[str, str]) -> bool:
    """Without a display, Python's webbrowser may start a text browser in this
    terminal, which would hide the server's output; print the address instead."""
    import sys

    return sys.platform in ("darwin", "win32") or bool(
        environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY")
    )


COMMANDS = [serve_command]
