"""The "not only whitespace" pattern means the same to every engine that checks it (issue 11)."""

from __future__ import annotations

import re
import sys

import pytest
from pydantic import TypeAdapter, ValidationError, constr

from web.schemas import NOT_BLANK

WHITESPACE = [chr(i) for i in range(sys.maxunicode + 1) if chr(i).isspace()] + ["\ufeff"]
RUST_PATTERN = TypeAdapter(constr(pattern=NOT_BLANK))  # pydantic-core checks patterns with Rust's regex


@pytest.mark.parametrize("char", WHITESPACE, ids=[f"U+{ord(c):04X}" for c in WHITESPACE])
def test_a_blank_value_fails_the_pattern_in_python_and_in_rust(char: str) -> None:
    assert not re.search(NOT_BLANK, char * 3)
    with pytest.raises(ValidationError):
        RUST_PATTERN.validate_python(char * 3)


@pytest.mark.parametrize("value", ["综运股", " 综运股 ", "\x0bA", "\u200b"])
def test_a_value_the_pattern_accepts_is_never_empty_once_stripped(value: str) -> None:
    assert re.search(NOT_BLANK, value) and RUST_PATTERN.validate_python(value) == value
    assert value.strip()
