"""Validation findings as data: produced by the checks, rendered by the CLI."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with one file, located as precisely as the check can.

    ``file`` is the path as the user should see it; ``pointer`` is an RFC 6901 JSON pointer
    into that file (empty for text files); ``line``/``column`` are 1-based and filled in when
    the position is known; ``annotation_id`` names the annotation the problem belongs to.
    """

    file: str
    message: str
    code: str
    pointer: str = ""
    line: int | None = None
    column: int | None = None
    annotation_id: str | None = None
    hint: str | None = None
    severity: Severity = "error"

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dict with every field, for ``--format json``."""
        return asdict(self)


def has_errors(problems: list[Problem]) -> bool:
    """True when at least one problem is an error (warnings alone do not fail a run)."""
    return any(p.severity == "error" for p in problems)


def promote(problems: list[Problem], code_prefix: str) -> list[Problem]:
    """Turn the warnings whose code starts with ``code_prefix`` into errors (``--strict``)."""
    return [replace(p, severity="error") if p.severity == "warning" and p.code.startswith(code_prefix) else p for p in problems]
