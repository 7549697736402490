"""A synthetic corpus grown from the real notices, for scale benchmarks.

Each synthetic notice is written as a ``.txt`` file in the same layout as the real ones
(``X交通运输局文件`` header, 文号, title, preamble, ``一、`` / ``（一）`` / ``1.`` numbering,
a responsible-unit bracket closing every task), so the real parser reads it. Its text is
recombined from the sentences of the real clauses, with numbers, years and place names
varied, so the lexical statistics (vocabulary, clause length, sentence shape) stay close to
the real corpus while no two notices are copies.

The generator records which units each task names, so a benchmark can check that a
unit -> tasks lookup returns every clause of that unit at every corpus size. Units come
from two pools: the real corpus's unit names (shared by all notices, so some units own
hundreds of clauses at 100x) and region-prefixed ones (``临川县公路事业发展中心``).

Usage: ``python -m eval.synth OUT_DIR --scale 10`` (writes OUT_DIR/*.txt and OUT_DIR/.expected.json).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from index.clauses import heading_level
from index.units import extract_units, inherited_units

REAL_CLAUSES = 146  # clauses of docs_corpus/ at the time of writing: scale 1 ~ this many
EXPECTED_FILE = ".expected.json"  # a dot file: the index build skips it
_SYLLABLES_A = "临安宁平清长永新东西南兴和德嘉泰丰同昌建定武广"
_SYLLABLES_B = "江山阳河川原城水林州谷峰溪泉台"
_REGION_SUFFIX = ("县", "市", "区")
_LOCAL_UNITS = (
    "交通运输局", "公路事业发展中心", "运输管理所", "生态环境分局", "发展和改革局", "住房和城乡建设局",
    "公安局交警大队", "农业农村局", "自然资源局", "财政局", "综合行政执法队", "港航事业发展中心",
)
_REAL_REGIONS = (
    "连云港市", "吉林省", "山西省", "江苏省", "阳城县", "库尔勒市", "尉犁县", "轮台县", "若羌县", "且末县",
    "长春市", "晋城市", "巴州", "连云港", "吉林", "阳城", "山西",
)
_SENTENCE = re.compile(r"(?<=[。；！？])")
_NUMBER = re.compile(r"(?<![\d.])\d+(?:\.\d+)?")
_SECTIONS = ("重点任务", "主要任务", "保障措施", "工作举措", "推进机制")
_CN = "一二三四五六七八九十"


@dataclass
class SynthCorpus:
    """What the generator wrote: the files and the clauses each unit must own."""

    directory: Path
    files: list[Path] = field(default_factory=list)
    tasks_per_unit: dict[str, int] = field(default_factory=dict)
    task_clauses: int = 0  # numbered task clauses (each names its units)
    scale: float = 1.0

    def save(self) -> Path:
        path = self.directory / EXPECTED_FILE
        path.write_text(
            json.dumps(
                {"scale": self.scale, "task_clauses": self.task_clauses, "files": len(self.files),
                 "tasks_per_unit": self.tasks_per_unit},
                ensure_ascii=False, indent=1,
            ),
            encoding="utf-8",
        )
        return path


def _cn_number(n: int) -> str:
    if n <= 10:
        return _CN[n - 1]
    if n < 20:
        return "十" + _CN[n - 11]
    tens, ones = divmod(n, 10)
    return _CN[tens - 1] + "十" + (_CN[ones - 1] if ones else "")


def source_material(corpus: Path) -> tuple[list[list[str]], list[str], list[str]]:
    """Sentences of each real clause (units bracket removed), section titles, real unit names."""
    from index.corpus import corpus_files
    from index.parse import parse_document

    bodies: list[list[str]] = []
    titles: list[str] = []
    units: Counter[str] = Counter()
    for path in corpus_files(corpus):
        try:
            doc = parse_document(path)
        except Exception:  # noqa: BLE001 - a notice the parser rejects just adds no material
            continue
        for clause in doc.clauses:
            units.update(clause.units)
            for title in clause.section_path:
                found = heading_level(title)
                if found and found[0] == 2 and len(title) <= 30:
                    titles.append(title[len(found[1]):].strip())
            text = "".join(line.strip() for line in clause.text.split("\n"))
            found = heading_level(text)
            if found:
                text = text[len(found[1]):].strip()
            mention = extract_units(text)
            if mention:
                text = text[: mention.start].rstrip()
            if "\t" in text or inherited_units(text) or len(text) < 15:
                continue
            sentences = [s for s in _SENTENCE.split(text) if len(s) >= 6]
            if sentences:
                bodies.append(sentences)
    # (not a body named after a real place, "山西省政府": the synthetic notices vary their places)
    real_units = [u for u in units if "交通局" not in u and not u.startswith("局") and not any(r in u for r in _REAL_REGIONS)]
    return bodies, sorted(set(titles)), sorted(real_units)


class Generator:
    """Writes synthetic notices; deterministic for a given seed."""

    def __init__(self, corpus: Path, seed: int = 0) -> None:
        self.rng = random.Random(seed)
        self.bodies, self.titles, self.real_units = source_material(corpus)
        if not self.bodies or not self.real_units:
            raise ValueError(f"no clauses with units found in {corpus}: cannot grow a synthetic corpus")
        self.regions = [a + b + s for a in _SYLLABLES_A for b in _SYLLABLES_B for s in _REGION_SUFFIX]
        self.rng.shuffle(self.regions)

    def _vary(self, text: str, region: str, year: int) -> str:
        for real in _REAL_REGIONS:
            text = text.replace(real, region if len(real) > 2 else region[:-1])

        def number(m: re.Match) -> str:
            raw = m.group(0)
            if re.fullmatch(r"20[12]\d", raw):
                return str(year + self.rng.choice((-1, 0, 1, 2, 5)))
            if "." in raw:
                return f"{self.rng.uniform(0.1, 99):.1f}"
            digits = len(raw)
            low = 10 ** (digits - 1) if digits > 1 else 1
            return str(self.rng.randint(low, 10**digits - 1))

        return _NUMBER.sub(number, text)

    def _body(self, region: str, year: int, min_chars: int = 40) -> str:
        """Sentences of one real clause (one maybe swapped for another clause's), varied.

        At least `min_chars` long: a short task line without sentence punctuation reads as a
        heading to the parser (see the report on index/clauses.py), which is not what is measured.
        """
        text = ""
        while len(text) < min_chars:
            text = self._one_body(region, year)
        return text

    def _unitless_body(self, region: str, year: int) -> str:
        """A body for a paragraph that is no task: one in which the parser finds no responsible body
        ("各单位要严格落实…" would give it one that the expected counts do not have)."""
        from index.units import read_duty

        while True:
            text = self._body(region, year)
            duty = read_duty(text)
            if duty is None or not duty.units:
                return text

    def _one_body(self, region: str, year: int) -> str:
        sentences = list(self.rng.choice(self.bodies))
        if len(sentences) > 1 and self.rng.random() < 0.5:
            sentences[self.rng.randrange(len(sentences))] = self.rng.choice(self.rng.choice(self.bodies))
        if self.rng.random() < 0.3:
            sentences.append(self.rng.choice(self.rng.choice(self.bodies)))
        text = self._vary("".join(sentences[:5]), region, year)
        if not text[0].isascii() and not text[0].isdigit():
            return text
        return "全面" + text  # a body starting with a digit would read as "1.2024年…", not "1."

    def _units(self, region: str) -> tuple[list[str], list[str]]:
        pool = [region + u for u in self.rng.sample(_LOCAL_UNITS, 2)] + self.rng.sample(self.real_units, 3)
        chosen = self.rng.sample(pool, self.rng.randint(1, 3))
        lead = chosen[:1] if len(chosen) > 1 and self.rng.random() < 0.3 else []
        return lead, [u for u in chosen if u not in lead]

    @staticmethod
    def _bracket(lead: list[str], rest: list[str], style: int) -> str:
        if lead:
            return f"（牵头单位：{'、'.join(lead)}，责任单位：{'、'.join(rest)}）"
        if style == 0:
            return f"（责任单位：{'、'.join(rest)}）"
        if style == 1:
            return f"（{'、'.join(rest)}按职责分工负责）"
        return f"（{'、'.join(rest)}）"

    def notice(self, n: int, tasks: int, counts: Counter[str]) -> str:
        """The text of synthetic notice number `n` with `tasks` numbered tasks; counts units."""
        region = self.regions[n % len(self.regions)]
        year = self.rng.choice((2022, 2023, 2024, 2025))
        issuer = region + "交通运输局"
        title = f"{region}{year}年交通运输生态环境保护工作要点"
        lines = [
            f"{issuer}文件",
            f"{region[0]}交字〔{year}〕{n + 1}号",
            title,
            "为" + self._unitless_body(region, year).rstrip("。；") + "，制定本工作要点。",
            "一、总体要求",
            self._unitless_body(region, year),
        ]
        done, part = 0, 2
        while done < tasks:
            lines.append(f"{_cn_number(part)}、{self.rng.choice(_SECTIONS)}")
            for sub in range(1, self.rng.randint(2, 4) + 1):
                if done >= tasks:
                    break
                lines.append(f"（{_cn_number(sub)}）{self.rng.choice(self.titles) if self.titles else '工作任务'}")
                for item in range(1, min(self.rng.randint(3, 7), tasks - done) + 1):
                    lead, rest = self._units(region)
                    body = self._body(region, year).rstrip("。；")
                    lines.append(f"{item}.{body}{self._bracket(lead, rest, self.rng.randrange(3))}")
                    counts.update(lead + rest)
                    done += 1
            part += 1
        return "\n\n".join(lines) + "\n"


def generate(out_dir: Path, scale: float = 1.0, seed: int = 0, corpus: Path | None = None) -> SynthCorpus:
    """Write about ``REAL_CLAUSES * scale`` clauses as synthetic notices into ``out_dir``.

    Args:
        out_dir: directory for the ``.txt`` notices and ``.expected.json`` (created).
        scale: size relative to the real corpus (1 = about as many clauses as docs_corpus/).
        seed: random seed; the same seed and scale give the same files.
        corpus: the real notices to learn from (default: the index settings' corpus).

    Returns:
        The files written and how many task clauses each unit owns.
    """
    if scale <= 0:
        raise ValueError("scale must be positive")
    if corpus is None:
        from index.settings import DEFAULT_CORPUS

        corpus = DEFAULT_CORPUS
    gen = Generator(Path(corpus), seed=seed)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    result = SynthCorpus(directory=out_dir, scale=scale)
    counts: Counter[str] = Counter()
    target = max(int(round(REAL_CLAUSES * scale)), 10)
    clauses = n = 0
    while clauses < target:
        tasks = min(gen.rng.randint(18, 34), max(target - clauses - 3, 1))
        path = out_dir / f"synth-{n:05d}.txt"
        path.write_text(gen.notice(n, tasks, counts), encoding="utf-8")
        result.files.append(path)
        result.task_clauses += tasks
        clauses += tasks + 3  # + title, preamble and 总体要求 paragraphs
        n += 1
    result.tasks_per_unit = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    result.save()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.synth", description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="directory to write the notices into")
    parser.add_argument("--scale", type=float, default=1.0, help="size relative to docs_corpus/ (default 1)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    corpus = generate(args.out, args.scale, args.seed)
    print(f"{len(corpus.files)} notices, {corpus.task_clauses} task clauses, "
          f"{len(corpus.tasks_per_unit)} units -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
