"""Render an eval summary: console table, ``report.md``, ``summary.json`` and ``chart.png``."""

from __future__ import annotations

import json
from pathlib import Path

from eval.gates import LOWER_IS_BETTER, METHOD, METRICS

# The score shown for each question type in the per-type table's headline column and the chart.
PRIMARY: dict[str, str] = {
    "who": "unit_f1",
    "tasks": "tasks_completeness",
    "fact": "hit@5",
    "requirements": "hit@5",
    "across": "hit@5",
    "followup": "gold_cited",
    "unanswerable": "refusal_recall",
}
PER_TYPE_COLUMNS: tuple[str, ...] = (
    "hit@5", "mrr@10", "unit_f1", "tasks_completeness", "gold_cited",
    "citation_validity", "sentence_support", "number_fidelity", "refusal_recall", "false_refusal_rate",
)


def fmt(value: float | None, metric: str = "") -> str:
    """A metric value for tables: ``-`` for none, ms with no decimals, scores with 3."""
    if value is None:
        return "-"
    return f"{value:.0f}" if metric.endswith("_ms") else f"{value:.3f}"


def ratio(ours: float | None, base: float | None) -> str:
    """``ours / baseline`` as ``1.23x`` (``-`` when undefined)."""
    if ours is None or base is None or base == 0:
        return "-"
    return f"{ours / base:.2f}x"


def _systems(summary: dict) -> tuple[dict, dict | None]:
    systems = summary["systems"]
    primary = summary.get("primary") or next(iter(systems))
    other = next((v for k, v in systems.items() if k != primary), None)
    return systems[primary], other


def comparison_rows(summary: dict) -> list[tuple[str, str, str, str, str]]:
    """(metric, ours, baseline, ratio, better) for every metric, overall."""
    ours, base = _systems(summary)
    rows = []
    for metric in METRICS:
        o = ours["overall"].get(metric)
        b = base["overall"].get(metric) if base else None
        rows.append((metric, fmt(o, metric), fmt(b, metric), ratio(o, b),
                     "lower" if metric in LOWER_IS_BETTER else "higher"))
    return rows


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    line = lambda cells: "  ".join(str(c).ljust(w) for c, w in zip(cells, widths))  # noqa: E731
    return "\n".join([line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def format_table(summary: dict) -> str:
    """The console summary: ours vs baseline per metric, then the gates."""
    rows = [list(r[:4]) for r in comparison_rows(summary)]
    text = [f"{summary['n_questions']} questions", _table(["metric", "ours", "baseline", "ratio"], rows), ""]
    for g in summary.get("gates", []):
        text.append(f"{g['status']:4}  {g['metric']} {g['op']} {g['threshold']}  (got {fmt(g['value'])})")
    if "passed" in summary:
        text.append("ALL GATES PASS" if summary["passed"] else "GATES FAILED")
    return "\n".join(text)


def _md_table(header: list[str], rows: list[list[str]]) -> str:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(str(c).replace("|", "\\|") for c in r) + " |" for r in rows]
    return "\n".join(out)


def render_markdown(summary: dict) -> str:
    """The full report: comparison, gates, per-type table, failures."""
    ours, base = _systems(summary)
    parts = ["# Evaluation report", ""]
    parts.append(f"Eval set: `{summary.get('set', '?')}`, {summary['n_questions']} questions "
                 f"({', '.join(f'{t} {n}' for t, n in summary.get('counts', {}).items())}).")
    parts += ["", "## Ours vs baseline", ""]
    parts.append(_md_table(["metric", "ours", "baseline", "ours/baseline", "better"],
                           [list(r) for r in comparison_rows(summary)]))
    if summary.get("gates"):
        parts += ["", "## Gates", ""]
        parts.append(_md_table(["gate", "value", "status"],
                               [[f"{g['metric']} {g['op']} {g['threshold']}", fmt(g["value"]), g["status"]]
                                for g in summary["gates"]]))
    parts += ["", "## Per question type", ""]
    rows = []
    for t, scores in ours["by_type"].items():
        b = base["by_type"].get(t, {}) if base else {}
        rows.append([t, str(summary.get("counts", {}).get(t, "")),
                     *[f"{fmt(scores.get(c))} / {fmt(b.get(c))}" for c in PER_TYPE_COLUMNS]])
    parts.append("Cells are `ours / baseline`; `-` where the metric does not apply.")
    parts += ["", _md_table(["type", "n", *PER_TYPE_COLUMNS], rows)]
    method = METHOD.strip()
    parts += ["", "## How each metric is computed", "", method,
              "", "Gates apply to ours, overall; `N/A` (no applicable question) neither passes nor fails."]
    fails = summary.get("failures", [])
    parts += ["", f"## Failures ({len(fails)})", ""]
    if fails:
        parts.append(_md_table(
            ["id", "type", "check", "question", "expected", "got"],
            [[str(f["id"]), str(f["type"]), f["check"], f["question"],
              _short(f["expected"]), _short(f["got"])] for f in fails]))
    else:
        parts.append("None.")
    return "\n".join(parts) + "\n"


def _short(value, n: int = 160) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def write_chart(summary: dict, path: Path) -> Path:
    """Bar chart of each question type's primary score, ours vs baseline (English labels)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ours, base = _systems(summary)
    types = [t for t in ours["by_type"] if ours["by_type"][t].get(PRIMARY.get(t, "hit@5")) is not None
             or (base and base["by_type"].get(t, {}).get(PRIMARY.get(t, "hit@5")) is not None)]
    labels = [f"{t}\n({PRIMARY.get(t, 'hit@5')})" for t in types]
    o = [ours["by_type"][t].get(PRIMARY.get(t, "hit@5")) or 0.0 for t in types]
    b = [(base["by_type"].get(t, {}).get(PRIMARY.get(t, "hit@5")) or 0.0) if base else 0.0 for t in types]
    fig, ax = plt.subplots(figsize=(max(6, 1.4 * len(types) + 2), 4.5))
    x = range(len(types))
    ax.bar([i - 0.2 for i in x], o, width=0.4, label=summary.get("primary", "ours"), color="#2b6cb0")
    if base:
        ax.bar([i + 0.2 for i in x], b, width=0.4, label="baseline", color="#a0aec0")
    ax.set_xticks(list(x), labels, fontsize=8)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("score")
    ax.set_title(f"Per question type: ours vs baseline ({summary['n_questions']} questions)")
    ax.legend()
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def write_reports(summary: dict, out_dir: Path) -> dict[str, Path]:
    """Write ``report.md``, ``summary.json`` and ``chart.png`` into ``out_dir``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"report": out_dir / "report.md", "summary": out_dir / "summary.json", "chart": out_dir / "chart.png"}
    paths["summary"].write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    paths["report"].write_text(render_markdown(summary), encoding="utf-8")
    write_chart(summary, paths["chart"])
    return paths
