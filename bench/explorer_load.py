"""Load on the explorer: N concurrent keep-alive clients on loopback for a bounded time; requests/s.

    python bench/explorer_load.py                      # starts `policyengine serve`, 32 clients, 20 s
    python bench/explorer_load.py --clients 32 --seconds 30
    python bench/explorer_load.py --base http://127.0.0.1:8000   # a server already running

Each client cycles through the named scenarios' addresses (each once with and once without a date)
from its own starting point, so the server sees a realistic mix of distinct and repeated scenarios.
Only 127.0.0.1 is ever contacted; the run stops after `--seconds` or `--max-requests`, whichever comes
first. Progress goes to stderr, the figures to stdout (`--json` for one JSON object).
"""

from __future__ import annotations

import argparse
import http.client
import json
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter


def addresses() -> list[str]:
    """The page of every named scenario, with and without a date."""
    from policyengine.core.vocabulary import show_value
    from policyengine.testing.suites import named_scenarios

    out = []
    import policyengine as pe

    for found in named_scenarios(pe.vocabulary()).values():
        query = {k: show_value(v) for k, v in found.fields.items()}
        out += ["/?" + urllib.parse.urlencode(query), "/?" + urllib.parse.urlencode({**query, "on": "2023-01-01"})]
    return out


def free_port() -> int:
    """A free loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(port: int) -> subprocess.Popen[bytes]:
    """`policyengine serve --port PORT`, once it answers."""
    process = subprocess.Popen([sys.executable, "-m", "policyengine", "serve", "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(1200):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            if process.poll() is not None:
                raise SystemExit("policyengine serve exited before answering") from None
            time.sleep(0.05)
    process.kill()
    raise SystemExit("policyengine serve did not answer within a minute")


def client(host: str, port: int, paths: list[str], start: int, stop_at: float, budget: list[int],
           lock: threading.Lock, latencies: list[float], statuses: Counter[int]) -> None:
    """One keep-alive client: GET the paths in turn until the deadline or the shared budget runs out."""
    conn = http.client.HTTPConnection(host, port, timeout=60)
    i = start
    while time.perf_counter() < stop_at:
        with lock:
            if budget[0] <= 0:
                break
            budget[0] -= 1
        began = time.perf_counter()
        try:
            conn.request("GET", paths[i % len(paths)])
            response = conn.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection(host, port, timeout=60)
            status = 0
        with lock:
            latencies.append(time.perf_counter() - began)
            statuses[status] += 1
        i += 1
    conn.close()


def main() -> int:
    """Run the load and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--max-requests", type=int, default=100_000)
    parser.add_argument("--base", help="a running explorer on 127.0.0.1 (default: start one)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    paths = addresses()
    server = None
    if args.base:
        parts = urllib.parse.urlsplit(args.base)
        if parts.hostname not in ("127.0.0.1", "localhost"):
            raise SystemExit("only a loopback explorer is loaded")
        port = parts.port or 80
    else:
        port = free_port()
        server = start_server(port)
    try:
        lock, latencies, statuses, budget = threading.Lock(), [], Counter(), [args.max_requests]
        began = time.perf_counter()
        stop_at = began + args.seconds
        threads = [threading.Thread(target=client, args=(
            "127.0.0.1", port, paths, n * len(paths) // args.clients, stop_at, budget, lock, latencies, statuses))
            for n in range(args.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - began
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
    latencies.sort()
    figures = {"clients": args.clients, "seconds": round(elapsed, 2), "requests": len(latencies),
               "requests_per_second": round(len(latencies) / elapsed, 1),
               "median_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
               "p95_ms": round(latencies[int(len(latencies) * 0.95)] * 1000, 1) if latencies else None,
               "statuses": dict(statuses), "distinct_addresses": len(paths)}
    if args.json:
        print(json.dumps(figures))
    else:
        for key, value in figures.items():
            print(f"{key:>22}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
