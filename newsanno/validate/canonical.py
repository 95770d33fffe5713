"""The canonical-form rule: a valid JSON file must be in the one form ``newsanno format`` writes.

Its explaining check re-serializes the value (:func:`newsanno.jsonio.canonical_dumps`) and
compares text.  Its cheap check serves the usual file, whose bytes the parser already found
to be exactly orjson's 2-space serialization (``exact``) and which holds no float: such a
file is canonical exactly when its object keys are in schema order (:func:`in_order`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from newsanno import jsonio, schema
from newsanno.problems import Problem


def canonical_clean(raw: bytes, value: Any, schema_name: str, *, exact: bool, has_float: bool) -> bool:
    """True exactly when :func:`canonical_problems` finds nothing; cheap when ``exact`` and float-free."""
    # ``exact`` bytes equal json.dumps' except where floats are written (orjson: 1e16, json: 1e+16).
    if exact and not has_float:
        return in_order(value, schema_name)
    return raw.decode("utf-8") == jsonio.canonical_dumps(value, schema_name)


def canonical_problems(raw: bytes, value: Any, schema_name: str, shown: str, *, exact: bool, has_float: bool) -> list[Problem]:
    """The warning for a valid file not in canonical form (the form ``newsanno format`` writes)."""
    if canonical_clean(raw, value, schema_name, exact=exact, has_float=has_float):
        return []
    return [
        Problem(
            shown,
            "valid, but not in canonical JSON form",
            "format.not_canonical",
            severity="warning",
            hint=f"run: newsanno format {shown}",
        )
    ]


@dataclass(slots=True)
class _Order:
    """What :func:`canonical_order` does at one schema node, precomputed once per schema."""

    keys: tuple[str, ...]  # the node's properties, in order
    props: dict[str, _Order]
    items: _Order | None
    # Properties below which some object has properties, i.e. whose key order can matter.
    nested: tuple[str, ...] = ()


def _compile_order(node: dict[str, Any], root: dict[str, Any], memo: dict[int, _Order]) -> _Order:
    node = schema.resolve(node, root)
    if id(node) in memo:
        return memo[id(node)]
    props: dict[str, _Order] = {}
    order = _Order(tuple(node.get("properties", {})), props, None)
    memo[id(node)] = order  # before recursing: a recursive schema refers back to this node
    for key, child in node.get("properties", {}).items():
        props[key] = _compile_order(child, root, memo)
    if "items" in node:
        order.items = _compile_order(node["items"], root, memo)
    return order


def _orders_keys(plan: _Order | None, seen: set[int]) -> bool:
    """Whether an object with properties can occur at or below ``plan`` (True on a cycle, to be safe)."""
    if plan is None:
        return False
    if id(plan) in seen or plan.keys:
        return True
    seen.add(id(plan))
    return _orders_keys(plan.items, seen) or any(_orders_keys(child, seen) for child in plan.props.values())


@functools.cache
def _order_plan(name: str) -> _Order:
    root = schema.load(name)
    memo: dict[int, _Order] = {}
    plan = _compile_order(root, root, memo)
    for order in memo.values():
        order.nested = tuple(k for k, child in order.props.items() if _orders_keys(child, set()))
    return plan


def in_order(value: Any, schema_name: str) -> bool:
    """Whether every object's keys are in :func:`newsanno.schema.canonical_order`; lists of objects are checked in bulk.

    Only objects whose schema node has properties can be out of order, so the walk descends
    only into the properties under which such objects can occur (:attr:`_Order.nested`).
    """
    return _in_order(value, _order_plan(schema_name))


def _in_order(node: Any, plan: _Order | None) -> bool:
    if plan is None:
        return True
    kind = type(node)
    if kind is dict:
        if not plan.keys:
            return True
        keys = tuple(node)
        if keys != plan.keys:
            known = [k for k in plan.keys if k in node]
            if keys != (*known, *(k for k in keys if k not in plan.props)):
                return False
        return all(_in_order(node.get(key), plan.props[key]) for key in plan.nested)
    if kind is list:
        item = plan.items
        if item is None or not (item.keys or item.nested or item.items):
            return True
        if item.keys:
            # Objects whose keys are exactly the schema's in order pass at once; only the rest are looked at.
            keys = item.keys
            if set(map(type, node)) == {dict} and set(map(tuple, node)) == {keys}:  # the usual case, in C loops
                return all(_in_order(x.get(key), item.props[key]) for key in item.nested for x in node)
            odd = [x for x in node if type(x) is not dict or tuple(x) != keys]
            if not all(_in_order(x, item) for x in odd):
                return False
            dicts = node if not odd else [x for x in node if type(x) is dict]
            return all(_in_order(x.get(key), item.props[key]) for key in item.nested for x in dicts)
        return all(_in_order(x, item) for x in node)
    return True
