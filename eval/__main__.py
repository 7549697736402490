"""``python -m eval run|bench|calibrate ...`` -- thin dispatch to the subcommands."""

from __future__ import annotations

import sys

USAGE = """usage: python -m eval {run,real,bench,parse,calibrate} [options]

  run        run the eval set through ours and the baseline, write eval/reports/
  bench      performance benchmark (eval/bench.py)
  real       the real-notice question sets (dev and held-out) through ours and the baseline
  parse      responsibility / identity extraction on the real-notice gold, per split and form
  calibrate  re-derive rag.verify.SUPPORT_THRESHOLD from eval/calibration.jsonl
"""


def calibrate(argv: list[str]) -> int:
    """Print the best support threshold and its accuracy on the calibration set."""
    import json
    from pathlib import Path

    from rag.verify import SUPPORT_THRESHOLD, best_threshold, sentence_support

    path = Path(argv[0]) if argv else Path(__file__).resolve().parent / "calibration.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    scored = [(sentence_support(r["sentence"], [r["passage"]]), bool(r["supported"])) for r in rows]
    threshold, accuracy = best_threshold(scored)
    wrong = [r for r, (s, label) in zip(rows, scored) if (s >= threshold) != label]
    print(f"{len(rows)} examples; best threshold {threshold} accuracy {accuracy:.3f} "
          f"({len(rows) - len(wrong)}/{len(rows)}); SUPPORT_THRESHOLD in rag/verify.py = {SUPPORT_THRESHOLD}")
    for r in wrong:
        print(f"  misclassified {r['id']} ({r.get('kind', '')}): {r['sentence']}")
    return 0 if threshold == SUPPORT_THRESHOLD else 1


def main(argv: list[str] | None = None) -> int:
    """Dispatch to a subcommand; returns its exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help"):
        print(USAGE)
        return 0 if argv else 2
    command, rest = argv[0], argv[1:]
    if command == "run":
        from eval.run import main as run_main

        return run_main(rest)
    if command == "real":
        from eval.real import main as real_main

        return real_main(rest)
    if command == "bench":
        from eval.bench import main as bench_main

        return bench_main(rest) or 0
    if command == "parse":
        from eval.parse_eval import main as parse_main

        return parse_main(rest)
    if command == "calibrate":
        return calibrate(rest)
    print(f"unknown command {command!r}\n\n{USAGE}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
