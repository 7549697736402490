"""Faults an independent probe found in index builds (issue 11), reproduced with real processes and stores.

- links out of the corpus folder were followed (a password file ended up in answers);
- two builds into one store at once could both exit 0 and leave a broken index;
- every build left its dropped collections' vector folders on disk;
- a store that is not writable was called damaged; the damaged-store advice omitted --store.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fault.conftest import CORPUS, ROOT, build_in_subprocess, copy_corpus, hash_embedder, hash_settings

pytestmark = pytest.mark.slow
SECRET = "绝密口令XQ-7741"  # would surface in /api/documents and answers if the link were followed
BUSY = "另一个索引构建正在进行"


def _secret_notice(path: Path) -> Path:
    """A file outside the corpus that parses as a notice, so following a link to it would index it."""
    text = (CORPUS / "yangcheng-2024-transport-eco-workplan.txt").read_text(encoding="utf-8")
    path.write_text(text.replace("2024年交通运输生态环境保护工作要点", f"{SECRET}工作要点", 1), encoding="utf-8")
    return path


def test_links_out_of_the_corpus_are_skipped_and_reported(tmp_path: Path) -> None:
    from rag.answer import Assistant

    corpus, store = copy_corpus(tmp_path), tmp_path / "store"
    outside = tmp_path / "outside"
    outside.mkdir()
    _secret_notice(outside / "secret.txt")
    (corpus / "passwd.txt").symlink_to("/etc/passwd")
    (corpus / "secret.txt").symlink_to(outside / "secret.txt")
    (corpus / "linked-folder").symlink_to(outside, target_is_directory=True)
    (corpus / "inside-link.txt").symlink_to(corpus / "bazhou-2025-eco-duty-report.txt")  # stays inside: fine

    proc = build_in_subprocess(store, corpus, RAG_LOCK_WAIT="5")
    assert proc.returncode == 0, proc.stderr
    for name in ("passwd.txt", "secret.txt", "linked-folder"):
        assert f"{name}: 符号链接指向语料目录之外" in proc.stdout, proc.stdout
    assert "inside-link.txt" not in proc.stdout.split("skipped/failed files")[1]

    assistant = Assistant.load(settings=hash_settings(store, corpus), embedder=hash_embedder())
    titles = " ".join(d["title"] + (d.get("source_file") or "") for d in assistant.documents())
    assert SECRET not in titles and "passwd" not in titles and "root:" not in titles
    for answer in (assistant.ask(f"{SECRET}是什么？"), assistant.ask("root:x:0:0 是谁？")):
        cited = " ".join(c.text + c.doc_title for c in answer.citations + answer.related)
        assert SECRET not in cited and "/bin/bash" not in cited and "root:x" not in cited


def test_index_inspect_skips_the_same_links(tmp_path: Path) -> None:
    corpus = copy_corpus(tmp_path)
    (corpus / "secret.txt").symlink_to(_secret_notice(tmp_path / "secret.txt"))
    proc = subprocess.run([sys.executable, "-m", "index", "inspect", "--corpus", str(corpus), "--json"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0 and "secret.txt" in proc.stderr and SECRET not in proc.stdout


def _check_store_is_whole(store: Path, corpus: Path) -> None:
    from index.store import client_for, read_manifest
    from rag.answer import Assistant

    settings = hash_settings(store, corpus)
    manifest = read_manifest(client_for(settings))
    assert client_for(settings).get_collection(manifest["collection"]).count() == manifest["clauses"]
    assistant = Assistant.load(settings=settings, embedder=hash_embedder())
    assert assistant.health()["ok"]
    assert not assistant.ask("阳城县公路沿线充电设施建设由谁负责？").refused


@pytest.mark.parametrize("trial", range(4))
def test_two_builds_started_together_both_succeed_one_after_the_other(tmp_path: Path, trial: int) -> None:
    corpus, store = copy_corpus(tmp_path), tmp_path / "store"
    results: list[subprocess.CompletedProcess] = []

    def build() -> None:
        results.append(build_in_subprocess(store, corpus, RAG_LOCK_WAIT="300"))

    threads = [threading.Thread(target=build) for _ in range(2)]
    for t in threads:
        t.start()
        time.sleep(0.05 * trial)  # 0 to 0.15 s apart: the window the probe found
    for t in threads:
        t.join(timeout=600)
    assert [r.returncode for r in results] == [0, 0], [r.stderr[-2000:] for r in results]
    assert not any("Traceback" in r.stderr for r in results)
    _check_store_is_whole(store, corpus)


def test_a_build_that_cannot_get_the_lock_in_time_exits_2_and_says_why(tmp_path: Path) -> None:
    from index.lock import build_lock

    corpus, store = copy_corpus(tmp_path), tmp_path / "store"
    settings = hash_settings(store, corpus)
    with build_lock(settings, wait=0):
        started = time.monotonic()
        proc = build_in_subprocess(store, corpus, RAG_LOCK_WAIT="2")
        waited = time.monotonic() - started
    assert proc.returncode == 2
    assert BUSY in proc.stderr and "another build holds the lock" in proc.stderr
    assert "Traceback" not in proc.stderr and waited >= 2
    assert build_in_subprocess(store, corpus, RAG_LOCK_WAIT="0").returncode == 0  # released with the block


def _du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _segment_dirs(store: Path) -> list[str]:
    return sorted(p.name for p in store.iterdir() if p.is_dir())


def test_repeated_builds_leave_no_orphan_folders_and_the_store_stops_growing(tmp_path: Path) -> None:
    from index.segments import live_segments

    corpus, store = copy_corpus(tmp_path), tmp_path / "store"
    notice = corpus / "yangcheng-2024-transport-eco-workplan.txt"
    sizes = []
    for i in range(12):
        notice.write_text(notice.read_text(encoding="utf-8").replace("推进", f"推进{i % 10}", 1), encoding="utf-8")
        proc = build_in_subprocess(store, corpus)
        assert proc.returncode == 0, proc.stderr
        sizes.append(_du(store))
        assert set(_segment_dirs(store)) <= live_segments(store), f"build {i + 1} left orphan folders"
    assert len(_segment_dirs(store)) <= 3  # current and previous generation, and the manifest
    assert sizes[-1] <= 1.5 * sizes[2], sizes


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """Make `folder` unwritable for this user; root ignores modes, so it gets the immutable flag."""
    if os.geteuid() == 0:
        if subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode != 0:
            pytest.skip("running as root without chattr: cannot make a folder unwritable")
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
    else:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)


def test_a_store_this_user_cannot_write_is_reported_as_a_permissions_problem(tmp_path: Path) -> None:
    corpus, store = copy_corpus(tmp_path), tmp_path / "store"
    assert build_in_subprocess(store, corpus).returncode == 0
    (corpus / "new.txt").write_text((corpus / "jilin-2024-transport-eco-workplan.txt").read_text(encoding="utf-8"))
    assert (store / ".build.lock").exists()  # as after any build: the lock file itself is writable
    with read_only(store):
        proc = build_in_subprocess(store, corpus)
    assert proc.returncode == 2, proc.stderr
    assert "不可写" in proc.stderr and "not writable" in proc.stderr and str(store) in proc.stderr
    assert "Move it aside" not in proc.stderr and "Traceback" not in proc.stderr


def test_the_damaged_store_advice_names_the_store_given(tmp_path: Path) -> None:
    corpus, store = copy_corpus(tmp_path), tmp_path / "my store"
    assert build_in_subprocess(store, corpus).returncode == 0
    with open(store / "chroma.sqlite3", "r+b") as f:
        f.write(b"\x00garbage" * 64)
    proc = build_in_subprocess(store, corpus)
    advice = f"python -m index build --store {shlex.quote(str(store))}"  # quoted: the path has a space
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert advice in proc.stderr and f"mv {shlex.quote(str(store))} " in proc.stderr, proc.stderr
    ask = subprocess.run([sys.executable, "-m", "rag", "ask", "--store", str(store), "谁负责？"], cwd=ROOT,
                         env={k: v for k, v in os.environ.items() if not k.startswith("RAG_")} | {"RAG_EMBEDDER": "hash"},
                         capture_output=True, text=True, timeout=300)
    assert ask.returncode == 2 and advice in ask.stderr, ask.stderr
