"""A load test on loopback: 200 questions from 20 concurrent clients, every one answered.

Latency figures are printed (run with -s), not asserted: they depend on the machine.
"""

from __future__ import annotations

import itertools
import threading
import time

import httpx
import pytest

from eval.bench_scale import load_questions
from eval.metrics import percentile

pytestmark = pytest.mark.slow
REQUESTS, CLIENTS = 200, 20


def test_200_questions_from_20_concurrent_clients_are_all_answered(live_api) -> None:
    questions = list(itertools.islice(itertools.cycle(q["question"] for q in load_questions()), REQUESTS))
    jobs = iter(enumerate(questions))
    lock = threading.Lock()
    results: list[tuple[int, float, dict | str]] = []

    def client() -> None:
        with httpx.Client(base_url=live_api.url, timeout=600) as http:
            while True:
                with lock:
                    job = next(jobs, None)
                if job is None:
                    return
                _, question = job
                started = time.perf_counter()
                response = http.post("/api/ask", json={"question": question})
                elapsed = (time.perf_counter() - started) * 1000
                body = response.json() if response.headers.get("content-type", "").startswith("application/json") else response.text
                with lock:
                    results.append((response.status_code, elapsed, body))

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=1800)
    wall = time.perf_counter() - started

    statuses = [status for status, _, _ in results]
    assert len(results) == REQUESTS
    assert statuses == [200] * REQUESTS, f"not all answered: {sorted(set(statuses))}"
    assert all(isinstance(body, dict) and body.get("answer") for _, _, body in results)
    latencies = [ms for _, ms, _ in results]
    print(f"\nload test: {REQUESTS} POST /api/ask from {CLIENTS} concurrent clients in {wall:.1f} s "
          f"({REQUESTS / wall:.1f} req/s); latency p50 {percentile(latencies, 50):.0f} ms, "
          f"p95 {percentile(latencies, 95):.0f} ms, max {max(latencies):.0f} ms")
