"""The semantic rules of annotations.json, run together: spans and references.

:data:`RULES` gathers the rules of :mod:`~newsanno.validate.spans` and
:mod:`~newsanno.validate.references`; a new rule is added in the module of its kind.
"""

from __future__ import annotations

from newsanno.model import Annotations
from newsanno.problems import Problem
from newsanno.validate import references, spans, visible
from newsanno.validate.rule import Rule, Scope, with_hints

RULES: tuple[Rule, ...] = spans.RULES + references.RULES + visible.RULES


def annotation_problems(
    ann: Annotations, text: str, shown: str, skip: set[str] | frozenset[str] = frozenset(), *, detail: int = 0
) -> list[Problem]:
    """Rules beyond the schema: spans, unique ids, references, label agreement, flat names.

    Annotations whose pointer (``/layer/i``) is in ``skip`` failed the schema and are left
    out; references to their ids are not reported as dangling.  ``detail`` > 0 makes the
    costly hints only for the first ``detail`` problems, all a report capped at ``detail``
    per file shows (every problem is still found and counted).
    """
    # Nearly every file is clean: the rules' bulk checks say so; only a file with some fault
    # takes the explaining pass, whose messages need the where and why of each.
    # With nothing skipped a rule whose clean-check passes has nothing to explain (that is the
    # rules' contract), so only the failing rules take their slow pass.
    failing = [rule for rule in RULES if skip or not rule.clean(ann, text)]
    if not failing:
        return []
    scope = Scope(ann, text, shown, skip)
    found = [pair for rule in failing for pair in rule.explain(scope)]
    found.sort(key=lambda pair: pair[0])
    return with_hints([problem for _, problem in found], scope.deferred, detail)
