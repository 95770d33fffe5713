"""The review page's section of open adjudication items: what is still to decide, beside the text.

Each open item of a document's ``adjudication.json`` is listed with its class, its span text
(linked to where it starts in the text when the gold has an annotation there) and A's and B's
versions, so the adjudicator reads the disagreement in place.
"""

from __future__ import annotations

import html
import json
from typing import Any

from newsanno.review.adjudicate import open_items


def e(value: object) -> str:
    """HTML-escaped text, quotes included (for attribute values too)."""
    return html.escape(str(value), quote=True)


def _version(value: Any) -> str:
    if value is None:
        return "nothing"
    return json.dumps(value, ensure_ascii=False, sort_keys=True)[:300]


def adjudication_panel(record: dict[str, Any] | None) -> str:
    """The side-panel section of the record's open items ("" when there is no record)."""
    if record is None:
        return ""
    items = open_items(record)
    parts = [f"<h2>Adjudication: {len(items)} open of {len(record['items'])}</h2><ul class='adjudication'>"]
    for x in items:
        parts.append(
            f'<li data-adjudication-item="{e(x["id"])}"><strong>{e(x["class"])}</strong> '
            f"<small>{e(x['start'])}-{e(x['end'])}</small> “{e(x['text'])}”"
            f"<br><small>A: {e(_version(x['a']))}</small><br><small>B: {e(_version(x['b']))}</small></li>"
        )
    if not items:
        parts.append("<li>every item is decided</li>")
    parts.append("</ul>")
    return "".join(parts)
