"""What document.json's values mean: a real BCP 47 language tag and known licence identifiers.

The schema fixes their shape; these checks need data the schema cannot hold: the IANA
language subtag registry (through the well-kept ``langcodes`` package, not a regex) and the
SPDX licence list (shipped as data, ``newsanno/data/spdx-license-ids.txt``). A licence is one
SPDX identifier exactly, or ``LicenseRef-<id>`` for terms that have none, whose wording then
goes in ``rights.notice``.
"""

from __future__ import annotations

import functools
import re
from importlib import resources
from typing import Any

from newsanno.problems import Problem

_LICENSE_REF = re.compile(r"LicenseRef-[A-Za-z0-9.-]+", re.ASCII)


@functools.cache
def spdx_ids() -> frozenset[str]:
    """The SPDX licence identifiers this version knows."""
    data = resources.files("newsanno").joinpath("data/spdx-license-ids.txt").read_text(encoding="utf-8")
    return frozenset(line for line in data.splitlines() if line and not line.startswith("#"))


def licence_ok(value: str) -> bool:
    """A known SPDX identifier or a ``LicenseRef-`` identifier, with nothing around it."""
    return value in spdx_ids() or _LICENSE_REF.fullmatch(value) is not None


def language_ok(tag: str) -> bool:
    """A valid BCP 47 tag (as written: no surrounding space or line feed)."""
    import langcodes

    return tag == tag.strip() and langcodes.tag_is_valid(tag)


def metadata_problems(meta: dict[str, Any], where: str) -> list[Problem]:
    """The language tag and the two licences of one document.json."""
    problems = []
    if not language_ok(meta["language"]):
        problems.append(
            Problem(
                where,
                f"language {meta['language']!r} is not a valid BCP 47 tag",
                "meta.language",
                pointer="/language",
                hint="e.g. 'en' or 'en-GB'",
            )
        )
    for field in ("text", "annotations"):
        value = meta["rights"][field]
        if not licence_ok(value):
            hint = "an SPDX identifier such as 'CC-BY-4.0', or 'LicenseRef-<name>' with the terms in rights.notice"
            problems.append(
                Problem(
                    where,
                    f"rights.{field} {value!r} is not a known SPDX licence identifier",
                    "meta.licence",
                    pointer=f"/rights/{field}",
                    hint=hint,
                )
            )
    if meta["rights"]["text"].startswith("LicenseRef-") and not meta["rights"].get("notice"):
        problems.append(
            Problem(
                where, "rights.text is a LicenseRef- identifier without rights.notice stating the terms", "meta.licence", pointer="/rights"
            )
        )
    return problems
