"""The `kratom` command: a click group whose commands call the services.

Only click and the standard library are imported here at module level, so that
`kratom --help` stays fast; services and the database load inside commands.
"""

from __future__ import annotations

import gc
import os
import sys
from typing import Any

import click

from kratom_journal.cli.context import AppContext
from kratom_journal.domain.errors import (
    InputError,
    JournalError,
    StoreError,
)

EXIT_BLOCKED = 1
EXIT_BAD_INPUT = 2
EXIT_STORE = 3


class JournalFailure(click.ClickException):
    """A JournalError shown as "error: ..." on stderr, exit 1: blocked by a check."""

    exit_code = EXIT_BLOCKED

    def show(self, file: Any = None) -> None:
        click.echo(f"error: {self.format_message()}", err=True)


class BadInput(JournalFailure):
    exit_code = EXIT_BAD_INPUT


class StoreFailure(JournalFailure):
    exit_code = EXIT_STORE


class KratomGroup(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except InputError as error:
            raise BadInput(f"{error} (nothing was saved)") from None
        except StoreError as error:
            raise StoreFailure(str(error)) from None
        except JournalError as error:  # ConfirmationNeeded and other checks
            raise JournalFailure(str(error)) from None


@click.group(cls=KratomGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    metavar="PATH|URL",
    help="Journal database: a SQLite file path or a SQLAlchemy URL "
    "(default: $KRATOM_DB, else the user-data folder).",
)
@click.option(
    "--owner", metavar="UUID", help="Whose journal, when a database holds several."
)
@click.option(
    "--now",
    metavar="TIME",
    help="Fix the program's clock (ISO 8601 with offset, e.g. 2026-11-22T14:00Z) to "
    "replay or script a session; also $KRATOM_NOW.",
)
@click.version_option(package_name="kratom-journal")
@click.pass_context
def main(
    ctx: click.Context, db: str | None, owner: str | None, now: str | None
) -> None:
    """Kratom Journal: doses, check-ins and products, safety first.

    Exit codes: 0 ok, 1 blocked by a check, 2 bad input (nothing saved),
    3 the database could not be used.
    """
    environ = dict(os.environ)
    if now is not None:
        environ["KRATOM_NOW"] = now
    ctx.obj = AppContext(db=db, owner=owner, environ=environ)
    ctx.call_on_close(ctx.obj.close)


def run() -> None:
    """Console entry point, tuned for a process that lives a fraction of a second.

    The cyclic garbage collector stays off (a command makes no cycles worth
    collecting), and the process ends without the interpreter's teardown, which
    costs about 35 ms: by then every transaction is committed and the database
    closed (the kill -9 test shows that even an abrupt end loses nothing).
    """
    gc.disable()
    try:
        main()
        code = 0
    except SystemExit as exit_:
        code = (
            exit_.code
            if isinstance(exit_.code, int)
            else (0 if exit_.code is None else 1)
        )
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _register() -> None:
    from kratom_journal.cli import (
        acknowledgements,
        changes,
        entries,
        insights,
        medications,
        products,
        profiles,
        reminders,
        report,
        safety,
        serve,
        taper,
        titration,
        transfer,
        trial,
        views,
    )

    for module in (
        entries,
        views,
        changes,
        products,
        medications,
        profiles,
        transfer,
        safety,
        acknowledgements,
        serve,
        titration,
        taper,
        reminders,
        insights,
        trial,
        report,
    ):
        for command in module.COMMANDS:
            main.add_command(command)


_register()
