"""Server benchmark: `assistant serve` in a subprocess on 127.0.0.1, loaded by N clients.

The client is deliberately cheap (one thread per client, a keep-alive http.client connection,
no JSON parsing beyond a status check) because it shares the CPU with the server. Every loop
is bounded by a deadline and a request cap; a server that does not come up in time is
reported, not waited on forever.
"""
from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time

import numpy as np


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _summary(latencies: list[float], errors: int, elapsed: float) -> dict:
    ms = np.asarray(latencies) * 1000
    pct = (lambda q: round(float(np.percentile(ms, q)), 2) if len(ms) else None)  # noqa: E731
    return {"requests": len(latencies), "errors": errors, "seconds": round(elapsed, 2),
            "rps": round(len(latencies) / elapsed, 1) if elapsed else 0.0,
            "p50_ms": pct(50), "p99_ms": pct(99)}


def load_test(port: int, questions: list[str], clients: int, seconds: float,
              max_requests: int = 100_000, unique: bool = False) -> dict:
    """POST /api/ask from `clients` threads for `seconds`; requests/s, p50/p99, errors.

    unique=True appends a distinct tag to every question so no answer comes from the
    server's query-embedding cache."""
    deadline = time.perf_counter() + seconds
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    counter = iter(range(max_requests))

    def client(offset: int):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.perf_counter() < deadline:
            with lock:
                n = next(counter, None)
            if n is None:
                break
            q = questions[(n + offset) % len(questions)]
            body = json.dumps({"question": f"{q} (#{n})" if unique else q, "k": 5})
            started = time.perf_counter()
            try:
                conn.request("POST", "/api/ask", body, {"Content-Type": "application/json"})
                response = conn.getresponse()
                payload = response.read()
                ok = response.status == 200 and payload.startswith(b"{")
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            took = time.perf_counter() - started
            with lock:
                if ok:
                    latencies.append(took)
                else:
                    errors[0] += 1
        conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i * 7,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 60)
    return {"clients": clients, **_summary(latencies, errors[0], time.perf_counter() - started)}


def _get(port: int, path: str, timeout: float = 5.0) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def wait_ready(port: int, proc=None, timeout: float = 240.0) -> float:
    """Seconds until /healthz says 200; RuntimeError if the server dies or times out."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with code {proc.returncode}")
        try:
            if _get(port, "/healthz", timeout=2.0) == 200:
                return time.perf_counter() - started
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"server not ready after {timeout:.0f}s")


def peak_rss_mb(pid: int) -> float | None:
    """Peak resident set size (VmHWM) of a live process, Linux only."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def server_bench(env: dict, questions: list[str], levels=(1, 4, 16), seconds: float = 10.0,
                 log=print) -> dict:
    """Start `assistant serve`, load it at each concurrency level, read its peak RSS."""
    port = free_port()
    cmd = [sys.executable, "-m", "assistant.cli", "serve", "--port", str(port)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)
    stderr_tail = []
    drain = threading.Thread(target=lambda: stderr_tail.extend(proc.stderr), daemon=True)
    drain.start()
    result: dict = {"command": "assistant serve --port PORT", "workers":
                    env.get("ASSISTANT_WORKERS", "2 (default)"), "levels": []}
    try:
        result["ready_s"] = round(wait_ready(port, proc), 2)
        result["rss_ready_mb"] = peak_rss_mb(proc.pid)
        load_test(port, questions, 2, min(2.0, seconds))  # warm-up, not reported
        for clients in levels:
            level = load_test(port, questions, clients, seconds)
            log(f"  /api/ask x{clients}: {level['rps']} req/s, p50 {level['p50_ms']} ms, "
                f"p99 {level['p99_ms']} ms, errors {level['errors']}")
            result["levels"].append(level)
        uncached = load_test(port, questions, max(levels), seconds, unique=True)
        log(f"  /api/ask x{max(levels)} uncached: {uncached['rps']} req/s, "
            f"p99 {uncached['p99_ms']} ms")
        result["uncached"] = uncached
        result["peak_rss_mb"] = peak_rss_mb(proc.pid)
    except RuntimeError as exc:
        result["error"] = f"{exc}; stderr: {''.join(stderr_tail[-5:]).strip()}"
        log(f"  server benchmark failed: {result['error']}")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
    return result


def child_env(config) -> dict:
    """Environment for child processes: this config's corpus/index, offline, quiet."""
    env = {**os.environ, "ASSISTANT_CORPUS_DIR": str(config.corpus_dir),
           "ASSISTANT_INDEX_DIR": str(config.index_dir), "HF_HUB_OFFLINE": "1",
           "TRANSFORMERS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false",
           "ASSISTANT_EMBED_MODEL": config.embed_model, "ASSISTANT_DEVICE": config.device}
    env.pop("ASSISTANT_API_TOKEN", None)
    for key in ("SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN"):
        env.pop(key, None)
    return env
