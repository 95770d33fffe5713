"""Reading YAML that may come from an untrusted file, within limits.

PyYAML's ``safe_load`` builds no objects, but it still expands aliases: a few hundred bytes
of nested ``&a [*b, *b, ...]`` anchors grow into billions of nodes (a "billion laughs"
bomb). The YAML this project reads (a dataset card's front matter) never needs aliases, so
any alias is refused, and so is a document larger than a stated size.
"""

from __future__ import annotations

from typing import Any

import yaml

MAX_YAML_BYTES = 1_000_000


class YAMLRefused(ValueError):
    """YAML that is not read: it uses an alias, is too large, or does not parse."""


class _NoAliasLoader(yaml.SafeLoader):
    """A safe loader that stops at the first alias instead of expanding it."""

    def compose_node(self, parent: Any, index: Any) -> Any:  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            mark = event.start_mark
            raise YAMLRefused(f"line {mark.line + 1}, column {mark.column + 1}: YAML aliases (*{event.anchor}) are not accepted")
        return super().compose_node(parent, index)


def load(text: str, *, max_bytes: int = MAX_YAML_BYTES) -> Any:
    """Parse one YAML document with no aliases and at most ``max_bytes`` of UTF-8."""
    size = len(text.encode("utf-8"))
    if size > max_bytes:
        raise YAMLRefused(f"YAML of {size} bytes is larger than the limit of {max_bytes}")
    try:
        return yaml.load(text, Loader=_NoAliasLoader)  # a SafeLoader subclass: builds no objects
    except yaml.YAMLError as exc:
        raise YAMLRefused(f"not valid YAML: {' '.join(str(exc).split())}") from exc
