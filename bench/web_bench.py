"""Throughput and latency of the web app's Today page under 50 connections.

Serves a journal with five years of generated data (bench/generate.py: about
5,400 doses and 5,500 check-ins) with `kratom serve` on a free loopback port,
first with KRATOM_NOW fixed at the end of the generated period (every run sees
the same day), then on the real clock, and loads it with wrk (2 threads, 50
connections, 10 s each):

- `GET /`: the HTML Today page;
- `GET /api/v1/today`: the same facts as JSON.

Before each load it times a few sequential requests (the latency of one request
on an idle server). It prints requests per second, the latency percentiles
(p50, p99, max), non-2xx responses and socket errors, and the server's CPU time
per request, against the aim: p99 < 100 ms. wrk's timeout is raised to 10 s so
that slow responses count in the percentiles instead of disappearing as
timeouts. The whole bench takes about a minute.

The journal is generated once and cached in the temporary folder (keyed by the
generator's source and the schema version); each run serves a fresh copy.

Run: `make bench`, or `.venv/bin/python bench/web_bench.py [--duration 10]`.
wrk comes from the `wrk` package (apt-get install wrk); without it the bench is
skipped.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from cli_bench import find_kratom
from generate import END, ZONE, build_journal, count_rows

PATHS = ("/", "/api/v1/today")
AIM_P99_MS = 100.0
CONNECTIONS = 50
THREADS = 2
DURATION_SECONDS = 10
SEQUENTIAL_REQUESTS = 20
START_TIMEOUT_SECONDS = 30.0
STOP_TIMEOUT_SECONDS = 5.0
CACHE = Path(tempfile.gettempdir()) / "kratom-web-bench"


@dataclass
class Load:
    path: str
    requests: int = 0
    rps: float = 0.0
    p50_ms: float = 0.0
    p75_ms: float = 0.0
    p90_ms: float = 0.0
    p99_ms: float = 0.0
    max_ms: float = 0.0
    non_2xx: int = 0
    socket_errors: int = 0
    single_ms: float = 0.0  # median of sequential requests on the idle server
    cpu_ms: float | None = None  # server CPU time per request under load
    raw: str = ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--duration", type=int, default=DURATION_SECONDS, help="seconds per path"
    )
    parser.add_argument("--connections", type=int, default=CONNECTIONS)
    parser.add_argument("--threads", type=int, default=THREADS)
    parser.add_argument(
        "--rebuild", action="store_true", help="generate the journal again"
    )
    parser.add_argument(
        "--raw", action="store_true", help="also print wrk's own output"
    )
    args = parser.parse_args(argv)
    wrk = shutil.which("wrk")
    if wrk is None:
        print("wrk is not installed (apt-get install wrk): web bench skipped")
        return 0
    kratom = find_kratom()
    cpus = os.cpu_count() or 1
    load = os.getloadavg()[0]
    print(
        f"kratom web bench: Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, {platform.system()} {platform.machine()}, "
        f"{cpus} CPUs, load {load:.2f}; {wrk_version(wrk)}"
    )
    if load > cpus / 2:
        print("  note: the machine is busy; figures will be lower and noisier")
    cached = cached_journal(rebuild=args.rebuild)
    counts = count_rows(cached)
    print(
        f"  journal: five years, {counts['doses']:,} doses, "
        f"{counts['checkins']:,} check-ins, {counts['intakes']:,} intakes, "
        f"{cached.stat().st_size / 1e6:.1f} MB (cached at {cached})"
    )
    print(
        f"  load: wrk -t{args.threads} -c{args.connections} -d{args.duration}s "
        f"--latency --timeout 10s, KRATOM_NOW={END.isoformat()}\n"
    )
    with tempfile.TemporaryDirectory(prefix="kratom-web-bench-") as folder:
        db = Path(folder) / "five-years.sqlite3"
        shutil.copyfile(cached, db)
        loads = []
        # A fixed clock is reproducible, but lets the app reuse one second's view
        # for the whole run; the real clock moves on, so the view is worked out
        # afresh every second, as in use.
        for fixed in (True, False):
            with Server(kratom, db, Path(folder) / "server.log", fixed) as server:
                for path in PATHS:
                    label = f"{path} ({'fixed' if fixed else 'real'} clock)"
                    result = Load(label)
                    result.single_ms = sequential_ms(server.url(path))
                    cpu_before = server.cpu_seconds()
                    output = run_wrk(wrk, server.url(path), args)
                    cpu_after = server.cpu_seconds()
                    parse_wrk(output, result)
                    measured = cpu_before is not None and cpu_after is not None
                    if measured and result.requests:
                        assert cpu_before is not None and cpu_after is not None
                        result.cpu_ms = (
                            (cpu_after - cpu_before) * 1000 / result.requests
                        )
                    if args.raw:
                        print(output)
                    loads.append(result)
    print_table(loads)
    missed = [r.path for r in loads if r.p99_ms >= AIM_P99_MS]
    failed = [r.path for r in loads if r.non_2xx or r.socket_errors]
    if failed:
        print(f"errors under load: {', '.join(failed)}")
    print(
        f"aim p99 < {AIM_P99_MS:.0f} ms: "
        + (f"missed for {', '.join(missed)}" if missed else "met")
    )
    return 0


def wrk_version(wrk: str) -> str:
    done = subprocess.run([wrk, "--version"], capture_output=True, text=True)
    first = (done.stdout or done.stderr).splitlines()
    return first[0].split(" Copyright")[0] if first else "wrk"


def cached_journal(*, rebuild: bool) -> Path:
    """The five-year journal, generated once per generator and schema version."""
    from kratom_journal.store.database import HEAD_REVISION

    here = Path(__file__).parent
    digest = hashlib.sha256((here / "generate.py").read_bytes())
    digest.update(HEAD_REVISION.encode())
    path = CACHE / f"five-years-{digest.hexdigest()[:12]}.sqlite3"
    if path.exists() and not rebuild:
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.partial")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    journal = build_journal(partial, 5)
    print(f"  generated the journal in {journal.seconds:.1f} s")
    partial.replace(path)  # complete files only: another run may read it
    return path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Server:
    """`kratom serve` in a subprocess, stopped (terminate, then kill) on exit."""

    def __init__(self, kratom: str, db: Path, log: Path, fixed_clock: bool) -> None:
        self.fixed_clock = fixed_clock
        self.kratom = kratom
        self.db = db
        self.log_path = log
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def __enter__(self) -> Server:
        env = {k: v for k, v in os.environ.items() if not k.startswith("KRATOM_")}
        if self.fixed_clock:
            env["KRATOM_NOW"] = END.isoformat()
        env["TZ"] = ZONE
        for _ in range(3):  # another program may take the free port first
            self.port = free_port()
            with self.log_path.open("wb") as log:
                self.process = subprocess.Popen(
                    [
                        self.kratom,
                        "--db",
                        str(self.db),
                        "serve",
                        "--port",
                        str(self.port),
                    ],
                    env=env,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            if self._wait_until_up():
                return self
            self.stop()
            if "cannot be used" not in self.log():
                break
        raise SystemExit(f"kratom serve did not start:\n{self.log()}")

    def __exit__(self, *_: object) -> None:
        self.stop()

    def _wait_until_up(self) -> bool:
        assert self.process is not None
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                with urllib.request.urlopen(self.url("/api/v1/today"), timeout=5) as r:
                    if r.status == 200:
                        return True
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.1)
        return False

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def cpu_seconds(self) -> float | None:
        """User and system CPU time of the server process so far (Linux only)."""
        if self.process is None:
            return None
        try:
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().split(")")[-1]
        except OSError:
            return None
        utime, stime = fields.split()[11:13]
        return (int(utime) + int(stime)) / os.sysconf("SC_CLK_TCK")


def sequential_ms(url: str) -> float:
    """Median time of one request at a time, after a few to warm up."""
    times = []
    for index in range(SEQUENTIAL_REQUESTS + 5):
        started = time.perf_counter()
        with urllib.request.urlopen(url, timeout=10) as response:
            response.read()
            if response.status != 200:
                raise SystemExit(f"{url} answered {response.status}")
        if index >= 5:
            times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def run_wrk(wrk: str, url: str, args: argparse.Namespace) -> str:
    argv = [
        wrk,
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{args.duration}s",
        "--latency",
        "--timeout",
        "10s",
        url,
    ]
    done = subprocess.run(
        argv, capture_output=True, text=True, timeout=args.duration + 30
    )
    if done.returncode != 0:
        raise SystemExit(f"wrk failed ({done.returncode}):\n{done.stderr}")
    return done.stdout


UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def to_ms(text: str) -> float:
    """wrk's "812.34us", "1.20ms", "2.01s" or "1.05m" in milliseconds."""
    found = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if found is None:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(found.group(1)) * UNITS_MS[found.group(2)]


def parse_wrk(output: str, result: Load) -> None:
    """Requests/s, latency percentiles and errors from `wrk --latency` output."""
    result.raw = output
    latency = re.search(r"^\s*Latency\s+(\S+)\s+(\S+)\s+(\S+)", output, re.M)
    if latency:
        result.max_ms = to_ms(latency.group(3))
    for percent, name in (
        ("50", "p50_ms"),
        ("75", "p75_ms"),
        ("90", "p90_ms"),
        ("99", "p99_ms"),
    ):
        found = re.search(rf"^\s*{percent}%\s+(\S+)", output, re.M)
        if found:
            setattr(result, name, to_ms(found.group(1)))
    found = re.search(r"^\s*(\d+) requests in", output, re.M)
    result.requests = int(found.group(1)) if found else 0
    found = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.M)
    result.rps = float(found.group(1)) if found else 0.0
    found = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    result.non_2xx = int(found.group(1)) if found else 0
    found = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    result.socket_errors = sum(int(n) for n in found.groups()) if found else 0


def print_table(loads: list[Load]) -> None:
    header = (
        "path",
        "requests",
        "req/s",
        "p50 ms",
        "p90 ms",
        "p99 ms",
        "max ms",
        "non-2xx",
        "errors",
        "1 req ms",
        "CPU ms/req",
        "aim p99",
    )
    rows = [header]
    for r in loads:
        rows.append(
            (
                r.path,
                str(r.requests),
                f"{r.rps:.1f}",
                f"{r.p50_ms:.1f}",
                f"{r.p90_ms:.1f}",
                f"{r.p99_ms:.1f}",
                f"{r.max_ms:.1f}",
                str(r.non_2xx),
                str(r.socket_errors),
                f"{r.single_ms:.1f}",
                "-" if r.cpu_ms is None else f"{r.cpu_ms:.1f}",
                "OK" if r.p99_ms < AIM_P99_MS else "over",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    for number, row in enumerate(rows):
        cells = [
            cell.ljust(width) if i in (0, len(header) - 1) else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        print("  ".join(cells).rstrip())
        if number == 0:
            print("  ".join("-" * width for width in widths))
    print()


if __name__ == "__main__":
    sys.exit(main())
