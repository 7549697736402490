"""Twenty users asking at once through a real uvicorn server get their own, correct answers."""

from __future__ import annotations

import asyncio
import statistics
import time

import httpx
import pytest

pytestmark = pytest.mark.slow

# Twenty different questions (a repeated question would be served from the query-embedding cache).
QUESTIONS = [
    "公路沿线充电设施建设由谁负责？",
    "综运股有哪些任务？",
    "施工工地扬尘污染防治有哪些要求？",
    "阳城县2024年的地区生产总值是多少亿元？",
    "老旧柴油货车淘汰由哪个单位负责？",
    "发展中心要完成哪些工作？",
    "船舶垃圾违规排放由谁监管？",
    "绿色出行宣传月活动由哪个单位负责？",
    "公转铁有什么要求？",
    "交通运输行业噪声污染防治由谁负责？",
    "巴州交通运输局2025年做了哪些扬尘治理工作？",
    "连云港港口岸电设施建设有什么目标？",
    "吉林省高速公路服务区充电设施要求是什么？",
    "山西空气质量改善的重点任务有哪些？",
    "新能源公交车推广由谁负责？",
    "水运股有哪些任务？",
    "机动车排放检验有什么规定？",
    "明天天气怎么样？",
    "交通建设项目环境影响评价由谁负责？",
    "重点用能单位节能降耗有什么要求？",
]


async def _ask_all(url: str, questions: list[str]) -> tuple[list[tuple[httpx.Response, float]], float]:
    async with httpx.AsyncClient(base_url=url, timeout=300, trust_env=False) as client:

        async def one(question: str) -> tuple[httpx.Response, float]:
            started = time.perf_counter()
            response = await client.post("/api/ask", json={"question": question})
            return response, time.perf_counter() - started

        started = time.perf_counter()
        results = await asyncio.gather(*(one(q) for q in questions))
        return list(results), time.perf_counter() - started


def test_twenty_concurrent_asks_all_succeed_with_their_own_answers(live_server):
    results, total = asyncio.run(_ask_all(live_server.url, QUESTIONS))

    assert [r.status_code for r, _ in results] == [200] * len(QUESTIONS)
    with httpx.Client(base_url=live_server.url, timeout=120, trust_env=False) as client:
        for question, (response, _) in zip(QUESTIONS, results, strict=True):
            body = response.json()
            assert body["question"] == question
            alone = client.post("/api/ask", json={"question": question}).json()
            assert body["answer"] == alone["answer"], f"answer to {question!r} differs under concurrency"
    latencies = sorted(seconds for _, seconds in results)
    p50 = statistics.median(latencies)
    p95 = latencies[max(0, round(0.95 * len(latencies)) - 1)]
    print(f"\n20 concurrent /api/ask: p50 {p50:.2f} s, p95 {p95:.2f} s, total {total:.2f} s")
