"""End to end: `python -m eval run` builds a real index, runs ours and the baseline, writes reports."""

from __future__ import annotations

import json

import pytest

from eval import __main__ as cli
from eval.run import METRICS
from tests.eval.conftest import MINI


@pytest.mark.slow
def test_eval_run_end_to_end(tmp_path, capsys):
    store, out = tmp_path / "store", tmp_path / "reports"
    code = cli.main(["run", "--set", str(MINI), "--store", str(store), "--out", str(out)])
    printed = capsys.readouterr().out
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))

    assert code == (0 if summary["passed"] else 1)
    assert ("ALL GATES PASS" if summary["passed"] else "GATES FAILED") in printed
    assert store.exists()  # the missing index was built
    assert (out / "chart.png").read_bytes()[:4] == b"\x89PNG"
    assert set(summary["systems"]) == {"ours", "baseline"}
    for system in summary["systems"].values():
        for metric in METRICS:
            value = system["overall"][metric]
            assert value is None or metric.endswith("_ms") or 0.0 <= value <= 1.0, (metric, value)
    ours, base = summary["systems"]["ours"]["overall"], summary["systems"]["baseline"]["overall"]
    assert base["refusal_recall"] == 0.0  # the baseline never refuses
    assert ours["refusal_recall"] == 1.0  # a bus fare and tomorrow's weather are not in the notices
    assert ours["citation_validity"] == 1.0
    assert ours["unit_f1"] > base["unit_f1"]
