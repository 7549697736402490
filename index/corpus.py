"""The files of a corpus folder: every notice inside it, and no file reached through a link out of it.

A symbolic link whose target lies outside the corpus folder (``ln -s /etc/passwd docs/passwd.txt``,
or a linked directory elsewhere) is never read: it is skipped and reported with the reason, so a
build cannot index a file the corpus owner did not put there. A file link that stays inside is read
like an ordinary file; a folder link that stays inside is not walked (its files are reached anyway).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

OUTSIDE = "符号链接指向语料目录之外，已跳过 (symbolic link leaves the corpus folder: skipped)"


@dataclass(frozen=True)
class CorpusScan:
    """The files to index, in name order, and the entries skipped with their reason."""

    files: list[Path] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


def inside(path: Path, root: Path) -> bool:
    """True when `path`, with every link resolved, lies within `root` (itself resolved)."""
    try:
        path.resolve(strict=True).relative_to(root)
    except (OSError, ValueError, RuntimeError):  # a dangling or looping link, or outside
        return False
    return True


def scan_corpus(corpus: Path) -> CorpusScan:
    """Walk `corpus` without following links out of it.

    Args:
        corpus: the folder of notices.

    Returns:
        The regular files (hidden names excluded) whose real location is inside `corpus`, and
        each skipped link as (path relative to the corpus, reason).
    """
    root = corpus.resolve()
    files: list[Path] = []
    skipped: list[tuple[str, str]] = []
    for folder, dirs, names in os.walk(corpus, followlinks=False):
        base = Path(folder)
        for name in sorted(dirs):
            path = base / name
            # os.walk does not descend into a linked folder. One that stays inside holds files the
            # walk reaches anyway; one that leaves is reported.
            if path.is_symlink() and not inside(path, root):
                skipped.append((str(path.relative_to(corpus)), OUTSIDE))
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            path = base / name
            if name.startswith("."):
                continue
            if path.is_symlink() and not inside(path, root):
                skipped.append((str(path.relative_to(corpus)), OUTSIDE))
            elif path.is_file():
                files.append(path)
    return CorpusScan(sorted(files), sorted(skipped))


def corpus_files(corpus: Path) -> list[Path]:
    """The files of `corpus` that may be indexed (see `scan_corpus`), in name order."""
    return scan_corpus(corpus).files
