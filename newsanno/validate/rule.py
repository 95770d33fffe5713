"""What a semantic rule of annotations.json is: a cheap clean-check paired with its explaining check.

Nearly every file is clean, so each :class:`Rule` has two halves kept side by side in the
module that defines it: ``clean(ann, text)`` says in bulk passes whether the rule holds, and
``explain(scope)`` walks the annotations to report where and why it does not.  ``clean`` must
be True exactly when ``explain`` (with nothing skipped) yields nothing; ``tests/test_fastpaths.py``
checks that for every rule in :data:`newsanno.validate.annotations.RULES`.

``explain`` yields each problem with an :data:`Order` key; the problems of all rules are
reported sorted by it, so the report reads annotation by annotation whatever rule found what.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any, cast

from newsanno import schema
from newsanno.model import Annotations
from newsanno.problems import Problem

# (pass, layer, item, step): pass 0 checks each annotation on its own (ITEM), pass 1 follows
# its references (REFS), pass 2 compares annotations of a layer with each other (LAYER);
# ``layer`` is the index in schema.LAYERS, ``item`` the index in that layer.
Order = tuple[int, int, int, int]
ITEM, REFS, LAYER = 0, 1, 2


def layer_index(layer: str) -> int:
    """The position of ``layer`` in :data:`newsanno.schema.LAYERS`, for :data:`Order` keys."""
    return schema.LAYERS.index(layer)


class Scope:
    """One annotation file under the explaining checks: the annotations not skipped, and shared lookups.

    Annotations whose pointer (``/layer/i``) is in ``skip`` failed the schema: they are left
    out, and references to their ids are not reported as dangling (see :meth:`reference`).
    """

    def __init__(self, ann: Annotations, text: str, shown: str, skip: set[str] | frozenset[str] = frozenset()) -> None:
        self.text = text
        self.shown = shown
        self.ann = ann
        # Hints that cost a search (a "did you mean", where a span's text occurs), made only for
        # the problems a capped report shows: id(problem) -> how to make its hint.
        self.deferred: dict[int, Callable[[], str | None]] = {}
        self.kept: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        self.unchecked: set[str] = set()
        for layer in schema.LAYERS:
            items = cast(list[Any], ann[layer])  # type: ignore[literal-required]
            if not skip:
                self.kept[layer] = list(enumerate(items))
                continue
            self.kept[layer] = [(i, x) for i, x in enumerate(items) if f"/{layer}/{i}" not in skip]
            self.unchecked.update(
                x["id"] for i, x in enumerate(items) if f"/{layer}/{i}" in skip and isinstance(x, dict) and isinstance(x.get("id"), str)
            )

    def by_id(self, layer: str) -> dict[str, dict[str, Any]]:
        """The kept annotations of ``layer`` by id; of a duplicated id the first, so a duplicate is
        reported once and not again through every reference to it."""
        return self._lookups[layer]

    @functools.cached_property
    def _lookups(self) -> dict[str, dict[str, dict[str, Any]]]:
        return {layer: first_by_id(x for _, x in items) for layer, items in self.kept.items()}

    def problem(self, message: str, code: str, where: str, ann_id: str | None, hint: str | None = None) -> Problem:
        """An error in this file at pointer ``where``, of annotation ``ann_id``."""
        return Problem(self.shown, message, code, pointer=where, annotation_id=ann_id, hint=hint)

    def reference(self, layer: str, kind: str, value: str | None, where: str, ann_id: str) -> tuple[bool, list[Problem]]:
        """Whether ``value`` names a kept annotation of ``layer``, and the dangling-reference problem if not.

        None refers to nothing and is no problem; an id of a skipped (malformed) annotation is
        not reported again.
        """
        target = self.by_id(layer)
        if value is None or value in target:
            return value is not None, []
        if value in self.unchecked:
            return False, []

        def hint() -> str | None:
            close = difflib.get_close_matches(value, list(target), n=1)
            return f"did you mean {close[0]!r}?" if close else None

        return False, [self.later(self.problem(f"{kind} {value!r} does not exist", "ref.dangling", where, ann_id), hint)]

    def later(self, problem: Problem, hint: Callable[[], str | None]) -> Problem:
        """``problem``, whose hint ``hint()`` makes only if a report shows it (see :func:`with_hints`)."""
        self.deferred[id(problem)] = hint
        return problem


def first_by_id(items: Iterable[Any]) -> dict[str, Any]:
    """Annotations by id, the first of a duplicated id winning (as :meth:`Scope.by_id`)."""
    found: dict[str, Any] = {}
    for item in items:
        found.setdefault(item["id"], item)
    return found


@dataclass(frozen=True, slots=True)
class Rule:
    """One semantic rule: ``clean`` is True exactly when ``explain`` (nothing skipped) yields nothing."""

    name: str
    clean: Callable[[Annotations, str], bool]
    explain: Callable[[Scope], Iterator[tuple[Order, Problem]]]


def with_hints(problems: list[Problem], deferred: dict[int, Callable[[], str | None]], detail: int = 0) -> list[Problem]:
    """``problems`` (in report order) with their deferred hints made, for the first ``detail`` of them.

    ``detail`` is the report's cap per file (0: no cap, every hint is made).  Problems are counted
    as the report counts them, each (pointer, code, message) once, so every problem a capped report
    of this file can show has its hint; the others, never shown in text, keep none.
    """
    if not deferred:
        return problems
    out, seen = [], set()
    for p in problems:
        seen.add((p.pointer, p.code, p.message))
        make = deferred.get(id(p))
        if make is not None and (not detail or len(seen) <= detail):
            p = replace(p, hint=make())
        out.append(p)
    return out
