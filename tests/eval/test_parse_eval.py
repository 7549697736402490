"""`python -m eval parse`: the metric rules, and the extraction figures on the real-notice gold."""

from __future__ import annotations

import pytest

from eval.parse_eval import deadline_ok, evaluate, load_gold, main, norm_unit


def test_unit_names_compare_across_script_spacing_and_brackets() -> None:
    assert norm_unit("縣交通 運輸局") == norm_unit("县交通运输局")
    assert norm_unit("各县(市、区)人民政府") == norm_unit("各县（市、区）人民政府")
    assert norm_unit("区司法局等有关部门") == "区司法局"


@pytest.mark.parametrize(
    ("gold", "got", "ok"),
    [
        ("2024年6月底前", "2024年6月底前", True),
        ("5月底前", "5月底前动工", True),  # the time and its verb
        (None, None, True),
        ("2024年6月底前", None, False),
        (None, "长期坚持", False),
        ("6月", "6月底前完成全部充电站建设并通过验收", False),  # a sentence is not a deadline
    ],
)
def test_a_deadline_is_right_when_it_states_the_gold_time(gold, got, ok) -> None:
    assert deadline_ok(gold, got) is ok


def test_the_split_is_frozen_and_covers_every_gold_notice() -> None:
    both = load_gold()
    assert len(both) >= 30
    assert {w for _, w in both} == {"dev", "heldout"}
    issuers = {g["issuer"] for g, _ in both if g["issuer"]}
    assert len(issuers) >= 20


@pytest.fixture(scope="module")
def figures() -> dict:
    return evaluate()


def test_dev_split_meets_the_targets(figures) -> None:
    dev = figures["splits"]["dev"]
    # The target is 0.95. Dev grew from 42 to 65 notices (batches 5-7), then to 104
    # (batches 8-10: law-database continuation pages, one-line pages, box-drawn and glued tables),
    # then to 127 (batches 11-12: 政务公开 lists, excerpt pages, Taiwan regulations, pinyin mirrors);
    # after fitting their dev halves it is 0.864 (README): a regression floor, not the target.
    # Batches 13-15 took it to 159 notices; 0.894 at the end of the fifth session: floor raised.
    assert dev["unit F1"] >= 0.87
    assert dev["lead accuracy"] >= 0.93
    assert dev["deadline accuracy"] >= 0.95


def test_heldout_split_does_not_fall_below_its_frozen_measurement(figures) -> None:
    """Held-out is measured, never fitted: this only guards against regressions (see README)."""
    held = figures["splits"]["heldout"]
    assert held["unit F1"] >= 0.65  # measured 0.679 at the end of the session that froze batches 2-4
    assert held["deadline accuracy"] >= 0.85  # measured 0.893


def test_the_report_prints_both_splits(capsys) -> None:
    assert main([]) == 0
    out = capsys.readouterr().out
    assert "| unit F1 |" in out and "heldout" in out and "| table |" in out
