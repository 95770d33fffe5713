"""Which annotation of a Label Studio task is imported, and what is left, said in words.

A task of Label Studio's JSON export holds ``annotations`` (submitted, or cancelled when the
annotator skipped the task: ``was_cancelled``) and ``drafts`` (work saved but never submitted).
The rule: the newest submitted annotation that was not cancelled is taken (newest by
``updated_at``, then ``created_at``, then ``id``).  ``ground_truth`` is not used: Label Studio
sets it on every annotation imported with a task, so it does not say which one a person chose.
Everything not taken (older annotations, cancelled ones, drafts) is named in a warning, and a
task with nothing to take is a warning that its document is left as it is: never silence.

:func:`export_problem` recognises exports this importer cannot use: Label Studio's JSON_MIN
(flat objects without ``data``, regions without ids or relations) and CSV-like rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from newsanno.problems import Problem


@dataclass
class Chosen:
    """The annotation a task's import takes (None: nothing to take) and the lines that say so."""

    annotation: dict[str, Any] | None
    problems: list[Problem] = field(default_factory=list)


def _name(annotation: dict[str, Any]) -> str:
    who = annotation.get("completed_by")
    by = f" by user {who}" if isinstance(who, int | str) and not isinstance(who, bool) else ""
    when = annotation.get("updated_at") or annotation.get("created_at")
    return f"annotation {annotation.get('id', '?')}{by}" + (f" ({when})" if isinstance(when, str) else "")


def _newest_key(annotation: dict[str, Any]) -> tuple[str, str, int]:
    ident = annotation.get("id")
    number = ident if isinstance(ident, int) and not isinstance(ident, bool) else -1
    return (str(annotation.get("updated_at") or ""), str(annotation.get("created_at") or ""), number)


def _regions(annotation: dict[str, Any]) -> int:
    return sum(1 for r in annotation.get("result", []) if isinstance(r, dict) and r.get("type") == "labels")


def choose_annotation(task: dict[str, Any], shown: str) -> Chosen:
    """The annotation of ``task`` to import by the module's rule, with a warning for what is left."""
    listed = task.get("annotations", [])
    drafts = task.get("drafts", [])
    if not isinstance(listed, list) or not isinstance(drafts, list):
        return Chosen(None, [Problem(shown, "annotations and drafts must be lists", "labelstudio.shape")])
    usable = [a for a in listed if isinstance(a, dict) and isinstance(a.get("result"), list)]
    if len(usable) != len(listed):
        return Chosen(None, [Problem(shown, "an annotation without a result list", "labelstudio.shape")])
    submitted = [a for a in usable if not a.get("was_cancelled")]
    cancelled = [a for a in usable if a.get("was_cancelled")]
    taken = max(submitted, key=_newest_key) if submitted else None
    left = [f"{_name(a)}, older ({_regions(a)} regions)" for a in submitted if a is not taken]
    left += [f"{_name(a)}, skipped (cancelled)" for a in cancelled]
    left += [f"draft {d.get('id', '?') if isinstance(d, dict) else '?'}, not submitted" for d in drafts]
    problems: list[Problem] = []
    if taken is None:
        why = "it was skipped in Label Studio" if cancelled else "it has no submitted annotation"
        message = f"task not imported, its document is left as it is: {why}"
        if left:
            message += "; left: " + "; ".join(left)
        problems.append(
            Problem(
                shown,
                message,
                "labelstudio.not_annotated",
                severity="warning",
                hint="submit an annotation in Label Studio, then export again",
            )
        )
    elif left:
        newest = ", the newest submitted" if len(submitted) > 1 else ""
        message = f"took {_name(taken)} ({_regions(taken)} regions){newest}; left: " + "; ".join(left)
        code = "labelstudio.several_annotations" if len(usable) > 1 else "labelstudio.draft_left"
        problems.append(Problem(shown, message, code, severity="warning"))
    return Chosen(taken, problems)


def export_problem(tasks: list[Any], shown: str) -> Problem | None:
    """Why a list is not a Label Studio JSON export this importer reads (None when it may be)."""
    flat = [t for t in tasks if isinstance(t, dict) and "data" not in t]
    if not flat:
        return None
    keys = set(flat[0])
    if keys & {"annotation_id", "annotator", "lead_time"} or "text" in keys:
        message = "this is Label Studio's JSON_MIN export (no region ids, no relations, no drafts): export the project as JSON instead"
    else:
        message = "these are not Label Studio JSON tasks (no data object): export the project as JSON"
    return Problem(
        shown,
        message,
        "labelstudio.json_min",
        hint="in Label Studio: Export, choose JSON, or GET /api/projects/<id>/export?exportType=JSON",
    )
