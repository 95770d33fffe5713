"""The schema rule: a JSON value against ``schema/``, with a cheap yes and a precise no.

jsonschema-rs (compiled) answers "valid?" for the common, clean file; only when it says no
does the ``jsonschema`` package walk the value again for errors with paths, which are worded
here into messages with pointers, annotation ids and "did you mean" hints.
"""

from __future__ import annotations

import difflib
import json
from typing import Any

import jsonschema

from newsanno import schema
from newsanno.jsonio import has_float as find_float
from newsanno.problems import Problem
from newsanno.validate.pointers import annotation_id, pointer


def schema_clean(value: Any, schema_name: str, has_float: bool | None = None) -> bool:
    """The quick yes of jsonschema-rs (Rust, ~100x faster): True only when :func:`schema_problems` finds nothing.

    A float is always sent the slow way: JSON Schema counts 11.0 as an integer, this project
    does not (see :func:`newsanno.schema.validator`).  ``has_float`` saves a walk when the
    caller already knows.
    """
    if has_float is None:
        has_float = find_float(value)
    return not has_float and bool(schema.fast_validator(schema_name).is_valid(value))


def schema_problems(value: Any, schema_name: str, shown: str, *, has_float: bool | None = None) -> list[Problem]:
    """Every schema violation of ``value``, each located by pointer and annotation id."""
    if schema_clean(value, schema_name, has_float):
        return []
    explained = explain_schema(value, schema_name, shown)
    if not explained:
        # The compiled validator refused what the explaining one accepts: a disagreement between
        # the two is itself an error, never a silent pass.
        explained = [
            Problem(
                shown,
                "the schema validators disagree: the compiled one rejects this file, the explaining one finds no reason",
                "schema.disagreement",
                hint="please report this file to the maintainers; it is treated as invalid",
            )
        ]
    return explained


def explain_schema(value: Any, schema_name: str, shown: str, validator: Any = None) -> list[Problem]:
    """The slow, explaining half of :func:`schema_problems`: the ``jsonschema`` errors, worded.

    ``validator`` replaces the named schema's (see :func:`problems_against`).
    """
    validator = validator or schema.validator(schema_name)
    errors = sorted(validator.iter_errors(value), key=lambda e: list(map(str, e.path)))
    problems = []
    for error in errors:
        path = list(error.path)
        message, hint = _message(error)
        where = list(path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            # Point at the unknown key itself, so line:col lands on it rather than on its object.
            extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
            where += extra[:1]
        problems.append(
            Problem(
                shown, message, f"schema.{error.validator}", pointer=pointer(where), annotation_id=annotation_id(value, path), hint=hint
            )
        )
    return problems


def invalid_items(problems: list[Problem]) -> set[str] | None:
    """Pointers ``/layer/i`` of annotations with schema errors; None when the file's frame is broken.

    The semantic rules can still run on every other annotation, so one typo does not hide
    the offset errors elsewhere in the file.
    """
    bad: set[str] = set()
    for p in problems:
        parts = p.pointer.split("/")
        if len(parts) < 3 or parts[1] not in schema.LAYERS or not parts[2].isdigit():
            if len(parts) == 2 and (parts[1] == "document_id" or p.code == "schema.additionalProperties"):
                continue  # a bad document_id or an unknown top-level key leaves the layers usable
            return None
        bad.add("/".join(parts[:3]))
    return bad


_BOUNDS = {
    "minimum": "a number >= ",
    "maximum": "a number <= ",
    "minLength": "at least {} characters",
    "maxLength": "at most {} characters",
}


def _message(error: jsonschema.ValidationError) -> tuple[str, str | None]:
    """A precise message for a schema error, and a hint where one helps."""
    if error.validator == "oneOf" and all("const" in s for s in error.validator_value):
        allowed = [s["const"] for s in error.validator_value]
        close = difflib.get_close_matches(str(error.instance), allowed, n=1)
        hint = f"did you mean {close[0]!r}?" if close else None
        if "then" in error.absolute_schema_path:
            # A conditional rule (a NOM/PRO mention's label): the restricted set's description says why.
            hint = str(error.schema.get("description") or "") or hint
        field = error.path[-1] if error.path else "value"
        return f"{field}: {error.instance!r} is not one of {', '.join(allowed)}", hint
    if error.validator == "additionalProperties":
        known = list(error.schema.get("properties", {}))
        extra = sorted(set(error.instance) - set(known)) if isinstance(error.instance, dict) else []
        hints = [m for k in extra for m in difflib.get_close_matches(k, known, n=1)]
        hint = f"did you mean {hints[0]!r}?" if hints else f"allowed fields: {', '.join(known)}"
        return f"unknown field{'s' if len(extra) > 1 else ''} {', '.join(map(repr, extra))}", hint
    field = error.path[-1] if error.path else None
    prefix = f"{field}: " if isinstance(field, str) else ""
    found = f"{_json_type(error.instance)} {_short(error.instance)}"
    if error.validator == "type":
        wanted = error.validator_value if isinstance(error.validator_value, str) else " or ".join(error.validator_value)
        return f"{prefix}expected {wanted}, found {found}", None
    if error.validator in ("minimum", "maximum", "minLength", "maxLength", "pattern"):
        rule = _BOUNDS.get(str(error.validator), "a string matching ")
        wanted = rule.format(error.validator_value) if "{}" in rule else f"{rule}{error.validator_value}"
        return f"{prefix}expected {wanted}, found {found}", None
    if error.validator == "required":
        missing = [k for k in error.validator_value if isinstance(error.instance, dict) and k not in error.instance]
        return f"missing required field{'s' if len(missing) > 1 else ''} {', '.join(map(repr, missing))}", None
    return f"{prefix}{error.message}; found {found}", None


def _json_type(value: Any) -> str:
    """The JSON name of a Python value's type, for "expected X, found Y" messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    return {int: "integer", float: "number", str: "string", list: "array", dict: "object"}.get(type(value), type(value).__name__)


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def problems_against(value: Any, schema_document: dict[str, Any], shown: str) -> list[Problem]:
    """Every violation of ``value`` against a schema given as data: another revision's own
    schema, which is what that revision's files must satisfy (not today's)."""
    return explain_schema(value, "", shown, schema.validator_of(schema_document))
