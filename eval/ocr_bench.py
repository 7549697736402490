"""`python -m eval.ocr_bench`: OCR character accuracy on rendered scanned pages of real notices, and the
time from upload to answerable (HTTP upload of a scanned PDF and of a text notice; `index add` in
another process followed by a running app).

Pages are real notice text (tests/data/real_notices/) rendered at 150 dpi with the WenQuanYi Zen Hei
font (eval/scans.py), OCRed with an empty cache. Prints a table and, with --json, the raw figures.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTICES = ROOT / "tests" / "data" / "real_notices"
PAGES = (
    ("a01-anshan-lishan-work-division.txt", 0),
    ("b10-lingbi-weijian-lead-labels.txt", 0),
    ("a07-yuncheng-emergency-plan-division.txt", 1),
    ("b12-anhui-zhongdian-zeren-labels.txt", 0),
    ("a05-chuzhou-city-key-work-2020.txt", 0),
)
SCAN_QUESTION = "地区生产总值增长6.2%左右由谁牵头？"
TEXT_NOTICE = NOTICES / "b10-lingbi-weijian-lead-labels.txt"
TEXT_QUESTION = "创建国家卫生县城由谁牵头？"
KEY = "bench-admin-key"


def ocr_accuracy() -> list[dict]:
    import pypdf

    from eval.scans import char_accuracy, render_pages, scanned_pdf
    from index import ocr

    ocr._engine()  # load the models once, outside the timings
    rows = []
    for notice, index in PAGES:
        page = render_pages((NOTICES / notice).read_text(encoding="utf-8"), max_pages=index + 1)[index]
        reader = pypdf.PdfReader(io.BytesIO(scanned_pdf([page])))
        started = time.perf_counter()
        text = ocr.ocr_page(reader.pages[0])
        seconds = time.perf_counter() - started
        rows.append(
            {
                "page": f"{notice.removesuffix('.txt')} p.{index + 1}",
                "chars": len("".join(page.text.split())),
                "accuracy": round(char_accuracy(text, page.text), 4),
                "seconds": round(seconds, 2),
            }
        )
    return rows


def upload_to_answerable(store: Path) -> dict:
    from fastapi.testclient import TestClient

    from app import create_app
    from eval.scans import render_pages, scanned_pdf
    from index.settings import IndexSettings
    from rag.answer import Assistant
    from web.settings import WebSettings

    scan = scanned_pdf(render_pages((NOTICES / PAGES[0][0]).read_text(encoding="utf-8"), max_pages=2))
    settings = IndexSettings.from_env(store=store, corpus=ROOT / "docs_corpus", embedder="use", chroma_url="")
    assistant = Assistant.load(settings=settings)
    app = create_app(assistant, WebSettings(rate_limit="1000/minute", admin_key=KEY), ui=False)
    out: dict = {}
    with TestClient(app) as client:
        for label, name, data, question, doc_id in (
            ("scanned PDF, 2 pages (OCR)", "lishan-scan.pdf", scan, SCAN_QUESTION, "lishan-scan"),
            ("text notice", TEXT_NOTICE.name, TEXT_NOTICE.read_bytes(), TEXT_QUESTION, TEXT_NOTICE.stem),
        ):
            started = time.perf_counter()
            response = client.post(
                "/api/documents", files=[("file", (name, data))], headers={"X-Admin-Key": KEY}
            )
            assert response.status_code == 201, response.text
            uploaded = time.perf_counter() - started
            while True:
                cites = client.post("/api/ask", json={"question": question}).json()["citations"]
                if cites and cites[0]["doc_id"] == doc_id:
                    break
            out[label] = {
                "upload_s": round(uploaded, 2),
                "answerable_s": round(time.perf_counter() - started, 2),
            }
        # another process: index remove + index add, followed by the running app's watcher
        env = {**os.environ, "RAG_EMBEDDER": "use", "RAG_CORPUS": str(ROOT / "docs_corpus")}
        cli = [sys.executable, "-m", "index"]
        subprocess.run(
            [*cli, "remove", TEXT_NOTICE.stem, "--store", str(store), "--quiet"], env=env, check=True
        )
        started = time.perf_counter()
        subprocess.run([*cli, "add", str(TEXT_NOTICE), "--store", str(store), "--quiet"], env=env, check=True)
        done = time.perf_counter()
        while True:
            cites = client.post("/api/ask", json={"question": TEXT_QUESTION}).json()["citations"]
            if cites and cites[0]["doc_id"] == TEXT_NOTICE.stem:
                break
            time.sleep(0.1)
        out["text notice via `index add` in another process"] = {
            "upload_s": round(done - started, 2),
            "answerable_s": round(time.perf_counter() - started, 2),
            "app_lag_s": round(time.perf_counter() - done, 2),
        }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.ocr_bench", description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="ocr-bench-") as tmp:
        os.environ["RAG_OCR_CACHE"] = str(Path(tmp) / "ocr-cache")  # cold: every page is really OCRed
        os.environ.pop("RAG_UPLOADS", None)
        from index.settings import IndexSettings
        from index.store import build_index

        store = Path(tmp) / "store"
        build_index(
            IndexSettings.from_env(store=store, corpus=ROOT / "docs_corpus", embedder="use", chroma_url=""),
            progress=False,
        )
        results = {"ocr": ocr_accuracy()}
        shutil.rmtree(Path(tmp) / "ocr-cache", ignore_errors=True)
        from index import ocr

        ocr._MEMO.clear()
        results["upload"] = upload_to_answerable(store)
    results["machine"] = {"cores": os.cpu_count(), "load": os.getloadavg()[0]}
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=1))
        return 0
    print("| page | characters | character accuracy | OCR time |\n|---|---|---|---|")
    for r in results["ocr"]:
        print(f"| {r['page']} | {r['chars']} | {r['accuracy']:.4f} | {r['seconds']:.1f} s |")
    print("\n| upload | indexed (201) | answerable |\n|---|---|---|")
    for label, r in results["upload"].items():
        print(f"| {label} | {r['upload_s']:.1f} s | {r['answerable_s']:.1f} s |")
    print(f"\nmachine: {results['machine']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
