"""Dependencies point inward: the domain imports nothing from the shell."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).parents[1] / "src" / "kratom_journal"
SHELL = ("store", "services", "cli", "web", "reports", "interop", "knowledge")


def imports_of(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


# The only domain modules allowed third-party packages, and which ones. The N-of-1
# analysis needs numerical code; only `kratom trial analyze` imports it.
THIRD_PARTY_ALLOWED = {
    "trial_analysis.py": {"scipy"},
    "trial_model.py": {"numpy", "scipy"},
}


def test_domain_imports_only_the_standard_library_and_itself() -> None:
    offenders = []
    for path in sorted((PACKAGE / "domain").rglob("*.py")):
        relative = path.relative_to(PACKAGE / "domain").as_posix()
        allowed = THIRD_PARTY_ALLOWED.get(relative, set())
        for name in imports_of(path):
            top = name.split(".")[0]
            inside = name.startswith("kratom_journal.domain")
            if not inside and (
                top == "kratom_journal"
                or (top not in sys.stdlib_module_names and top not in allowed)
            ):
                offenders.append(f"{relative}: {name}")
    assert offenders == []


def test_domain_never_reads_the_clock() -> None:
    offenders = []
    for path in sorted((PACKAGE / "domain").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for call in ("datetime.now(", "date.today(", "time.time(", "datetime.utcnow("):
            if call in text:
                offenders.append(f"{path.name}: {call}")
    assert offenders == []


def test_store_and_services_never_import_the_interfaces() -> None:
    offenders = []
    for layer in ("store", "services", "knowledge"):
        for path in sorted((PACKAGE / layer).rglob("*.py")):
            for name in imports_of(path):
                if name.startswith(("kratom_journal.cli", "kratom_journal.web")):
                    offenders.append(f"{layer}/{path.name}: {name}")
    assert offenders == []


def test_every_command_and_option_has_help() -> None:
    import click

    from kratom_journal.cli import main

    missing = []

    def walk(command: click.Command, path: str) -> None:
        if not (command.help or command.short_help):
            missing.append(path)
        for param in command.params:
            if isinstance(param, click.Option) and not param.help:
                missing.append(f"{path} {param.opts[0]}")
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                walk(sub, f"{path} {name}")

    walk(main, "kratom")
    assert missing == []
