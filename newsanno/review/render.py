"""A self-contained HTML review page for one document: pure functions, Document -> HTML string.

The page needs nothing from the network (inline CSS and JS, system fonts only), so it opens
from disk.  Overlapping and nested spans are rendered by cutting the text at every span
boundary: each segment is wrapped in the stack of spans covering it (claims outermost, then
quotes, cues, mentions; longer spans outside shorter ones), and carries the ids of those
spans as data attributes, so one annotation may be several elements that share an id.
Everything from the text or the annotations goes through ``html.escape``.
"""

from __future__ import annotations

import html
import itertools
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from newsanno import schema
from newsanno.model import Annotations, Document, Mention
from newsanno.review import agreement
from newsanno.review.adjudication_view import adjudication_panel

# Nesting order of the layers, outermost first.
_RANK = {"claim": 0, "quote": 1, "cue": 2, "mention": 3, "suggestion": 4}


def label_colours() -> dict[str, str]:
    """One colour per entity type, evenly spaced hues in schema order (stable across runs)."""
    n = len(schema.ENTITY_TYPES)
    return {label: f"hsl({round(i * 360 / n)}, 70%, 82%)" for i, label in enumerate(schema.ENTITY_TYPES)}


def e(value: object) -> str:
    """HTML-escape for text and attribute values."""
    return html.escape(str(value), quote=True)


@dataclass(frozen=True, slots=True)
class Piece:
    """One span to draw: its layer, place, and the attributes and classes it carries."""

    layer: str
    start: int
    end: int
    anchor: str  # element id of its first segment
    classes: str
    attrs: dict[str, str]
    title: str


def _pieces(ann: Annotations, names: dict[str, str], side: str = "") -> list[Piece]:
    """Everything to draw for one annotation set; ``side`` prefixes anchors (diff pages)."""
    mentions = {m["id"]: m for m in ann["mentions"]}
    out: list[Piece] = []
    for m in ann["mentions"]:
        out.append(
            Piece(
                "mention",
                m["start"],
                m["end"],
                f"{side}ann-{m['id']}",
                f"m l-{m['label']}",
                {"data-mention": m["id"], "data-entity": m["entity_id"], "data-label": m["label"]},
                f"{m['label']} {m['form']}: {names.get(m['entity_id'], m['entity_id'])} ({m['entity_id']})",
            )
        )
    for q in ann["quotes"]:
        speaker = names.get(q["speaker_entity_id"] or "", "no named source")
        out.append(
            Piece(
                "quote",
                q["start"],
                q["end"],
                f"{side}ann-{q['id']}",
                f"q k-{q['kind']}",
                {"data-quote": q["id"], "data-kind": q["kind"], "data-speaker": q["speaker_entity_id"] or ""},
                f"{q['kind']} quote {q['id']}, speaker: {speaker}" + (f", cue: {q['cue']['text']}" if q["cue"] else ""),
            )
        )
        if q["cue"]:
            out.append(
                Piece(
                    "cue",
                    q["cue"]["start"],
                    q["cue"]["end"],
                    f"{side}ann-{q['id']}-cue",
                    "cue",
                    {"data-cue": q["id"]},
                    f"cue of {q['id']}",
                )
            )
    for c in ann["claims"]:
        claimant = names.get(c["claimant_entity_id"] or "", "the author")
        if c["claimant_mention_id"] in mentions and not c["claimant_entity_id"]:
            claimant = mentions[c["claimant_mention_id"]]["text"]
        out.append(
            Piece(
                "claim",
                c["start"],
                c["end"],
                f"{side}ann-{c['id']}",
                f"c cw-{c['checkworthiness']}",
                {"data-claim": c["id"], "data-claimant": c["claimant_entity_id"] or ""},
                f"claim {c['id']} ({c['checkworthiness']}), claimant: {claimant}",
            )
        )
    return out


def segments(text: str, pieces: Iterable[Piece]) -> str:
    """The text as HTML, each segment between span boundaries wrapped in its covering spans."""
    pieces = sorted(pieces, key=lambda p: (_RANK[p.layer], p.start, -p.end, p.anchor))
    cuts = sorted({0, len(text), *(p.start for p in pieces), *(p.end for p in pieces)})
    seen: set[str] = set()
    out: list[str] = []
    for lo, hi in itertools.pairwise(cuts):
        if lo == hi:
            continue
        covering = sorted((p for p in pieces if p.start <= lo and hi <= p.end), key=lambda p: (_RANK[p.layer], p.start, -p.end))
        opened = []
        for p in covering:
            attrs = "".join(f' {k}="{e(v)}"' for k, v in p.attrs.items())
            anchor = ""
            if p.anchor not in seen:
                seen.add(p.anchor)
                anchor = f' id="{e(p.anchor)}"'
            opened.append(f'<span class="{e(p.classes)}"{anchor}{attrs} title="{e(p.title)}">')
        out.append("".join(opened) + e(text[lo:hi]) + "</span>" * len(opened))
    return "".join(out)


CSS = """
body{font-family:sans-serif;margin:0;display:flex;gap:1em;color:#222;background:#fff}
main{flex:3;padding:1em 2em;max-width:60em}
aside{flex:2;padding:1em;border-left:1px solid #ccc;background:#fafafa;height:100vh;overflow:auto;position:sticky;top:0}
.text{white-space:pre-wrap;line-height:2.1;font-size:1.05em}
.m{border-radius:3px;padding:1px 0;cursor:pointer;border:1px solid rgba(0,0,0,.15)}
.m.lit{outline:2px solid #d00;background:#ffe066 !important}
.q{border-bottom:2px solid #36c;padding-bottom:2px}
.q.k-direct{background:rgba(51,102,204,.08)}
.q.k-indirect{border-bottom-style:dashed}
.q.k-mixed{border-bottom-style:double;border-bottom-width:4px}
.q.k-scare{border-bottom-style:dotted}
.cue{font-weight:bold;color:#036}
.c{text-decoration:underline wavy #a60;text-underline-offset:6px}
.cw-UFS{text-decoration-color:#999}
.legend span{display:inline-block;margin:2px;padding:0 4px;border-radius:3px;font-size:.85em}
#info{position:sticky;top:0;background:#fff8d0;border:1px solid #db3;padding:.4em;min-height:1.2em;font-size:.9em}
aside li{margin:.2em 0} aside a{color:#036}
.only-a{outline:2px dashed #c00} .only-b{outline:2px dashed #06c} .agree{box-shadow:inset 0 -3px 0 #2a2}
.diff-key span{margin-right:1em}
table{border-collapse:collapse;font-size:.85em} td,th{border:1px solid #ccc;padding:1px 4px}
"""

JS = """
(function(){
  var info=document.getElementById('info'), pinned=null;
  function light(ent,on){document.querySelectorAll('.m[data-entity="'+CSS.escape(ent)+'"]').forEach(function(x){x.classList.toggle('lit',on);});}
  function show(el){info.textContent=el.getAttribute('title');}
  document.querySelectorAll('.m').forEach(function(el){
    el.addEventListener('mouseover',function(ev){ev.stopPropagation(); if(!pinned){light(el.dataset.entity,true);show(el);}});
    el.addEventListener('mouseout',function(){ if(!pinned){light(el.dataset.entity,false);}});
    el.addEventListener('click',function(ev){ev.stopPropagation(); if(pinned){light(pinned,false);} pinned=(pinned===el.dataset.entity)?null:el.dataset.entity; if(pinned){light(pinned,true);show(el);}});
  });
  // Counts computed from the rendered text, written into the page: they prove the script ran
  // and must equal the counts the panel was generated with.
  var ids={}, total=0;
  document.querySelectorAll('.text .m[data-mention]').forEach(function(x){ if(!ids[x.dataset.mention]){ids[x.dataset.mention]=x.dataset.entity; total++;} });
  var per={}; Object.keys(ids).forEach(function(k){per[ids[k]]=(per[ids[k]]||0)+1;});
  document.querySelectorAll('[data-js-count]').forEach(function(x){x.textContent=String(per[x.dataset.jsCount]||0);});
  var s=document.getElementById('js-summary');
  if(s){s.dataset.highlighted=String(total); s.textContent=total+' mentions highlighted';}
})();
"""


def _legend(used: Counter[str]) -> str:
    colours = label_colours()
    return (
        '<div class="legend">'
        + "".join(f'<span class="l-{e(lab)}" title="{e(lab)}: {used[lab]} mentions">{e(lab)}</span>' for lab in colours)
        + "</div>"
    )


def _label_css() -> str:
    return "".join(f".l-{label}{{background:{colour}}}" for label, colour in label_colours().items())


def _names(ann: Annotations) -> dict[str, str]:
    return {x["id"]: x["name"] for x in ann["entities"]}


def _mention_link(mention_id: str | None, mentions: dict[str, Mention], names: dict[str, str], side: str) -> str:
    """A link to the mention naming a speaker or claimant, shown by its entity's name; "" without one."""
    if mention_id not in mentions:
        return ""
    mention = mentions[mention_id]
    return f'<a href="#{e(side)}ann-{e(mention["id"])}">{e(names.get(mention["entity_id"], mention["text"]))}</a>'


def _row(kind: str, item_id: str, tag: str, who: str, side: str) -> str:
    """One quote or claim of the side panel: a link to it, its kind or check-worthiness, and who says it."""
    return f'<li data-{kind}-row="{e(item_id)}"><a href="#{e(side)}ann-{e(item_id)}">{e(item_id)}</a> <small>{e(tag)}</small> {who}</li>'


def side_panel(ann: Annotations, side: str = "") -> str:
    """Entities with mention counts, quotes and claims, each linking to its place in the text."""
    names = _names(ann)
    mentions = {m["id"]: m for m in ann["mentions"]}
    counts = Counter(m["entity_id"] for m in ann["mentions"])
    first = {}
    for m in sorted(ann["mentions"], key=lambda m: (m["start"], m["end"])):
        first.setdefault(m["entity_id"], m["id"])
    parts = ["<h2>Entities</h2><ul class='entities'>"]
    for ent in ann["entities"]:
        link = f'<a href="#{e(side)}ann-{e(first[ent["id"]])}">{e(ent["name"])}</a>' if ent["id"] in first else e(ent["name"])
        parts.append(
            f'<li data-entity-row="{e(ent["id"])}">{link} <small>{e(ent["type"])}</small> '
            f'mentions: <strong data-count="{counts[ent["id"]]}">{counts[ent["id"]]}</strong> '
            f'(in text: <strong data-js-count="{e(ent["id"])}">?</strong>)</li>'
        )
    parts.append("</ul><h2>Quotes</h2><ul class='quotes'>")
    for q in ann["quotes"]:
        speaker = _mention_link(q["speaker_mention_id"], mentions, names, side) or "no named source"
        cue = f' cue: <a href="#{e(side)}ann-{e(q["id"])}-cue">{e(q["cue"]["text"])}</a>' if q["cue"] else ""
        parts.append(_row("quote", q["id"], q["kind"], f"speaker: {speaker}{cue}", side))
    parts.append("</ul><h2>Claims</h2><ul class='claims'>")
    for c in ann["claims"]:
        claimant = _mention_link(c["claimant_mention_id"], mentions, names, side)
        if not claimant:
            entity = c["claimant_entity_id"]
            claimant = e(names.get(entity, entity)) if entity else "the author"
        parts.append(_row("claim", c["id"], c["checkworthiness"], f"claimant: {claimant}", side))
    parts.append("</ul>")
    return "".join(parts)


def _page(title: str, main: str, aside: str) -> str:
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">"
        f"<title>{e(title)}</title><style>{CSS}{_label_css()}</style></head>\n<body>\n<main>{main}</main>\n"
        f"<aside><div id='info'>Hover or click a mention.</div>{aside}</aside>\n<script>{JS}</script>\n</body></html>\n"
    )


# Only on pages that show suggestions, so pages without them keep their bytes.
SUGGESTION_CSS = (
    ".s{outline:2px dashed #888;outline-offset:1px}.s.sq{outline-color:#36c}.suggestions li{color:#555}.suggestions small{color:#888}"
)


def _suggestion_pieces(sugg: dict[str, Any]) -> list[Piece]:
    """Suggested mentions and quotes as dashed outlines, apart from gold (no ``.m``: not counted as mentions)."""
    names = {x["id"]: x["name"] for x in sugg["entities"]}
    out = []
    for layer, cls in (("mentions", "s sm"), ("quotes", "s sq")):
        for item in sugg[layer]:
            why = sugg["reasons"].get(item["id"], {})
            what = f"{item['label']} {names.get(item['entity_id'], '')}" if layer == "mentions" else f"{item['kind']} quote"
            out.append(
                Piece(
                    "suggestion",
                    item["start"],
                    item["end"],
                    f"ann-{item['id']}",
                    cls,
                    {"data-suggestion": item["id"]},
                    f"suggested {what} ({why.get('source', '?')}: {why.get('reason', '')}); not gold until accepted",
                )
            )
    return out


def suggestion_panel(sugg: dict[str, Any]) -> str:
    """The side-panel section listing suggestions with their reasons, separate from the gold lists."""
    parts = ["<h2>Suggestions (not gold)</h2><p><small>Accept reviewed ones with: newsanno accept DOC_ID ID ...</small></p>"]
    parts.append("<ul class='suggestions'>")
    for layer in ("mentions", "quotes"):
        for item in sugg[layer]:
            why = sugg["reasons"].get(item["id"], {})
            kind = item["label"] if layer == "mentions" else item["kind"]
            parts.append(
                f'<li data-suggestion-row="{e(item["id"])}"><a href="#ann-{e(item["id"])}">{e(item["id"])}</a> '
                f"<small>{e(kind)}</small> {e(item['text'][:60])} <small>{e(why.get('source', ''))}: {e(why.get('reason', ''))}</small></li>"
            )
    parts.append("</ul>")
    return "".join(parts)


def render_document(doc: Document, adjudication: dict[str, Any] | None = None, suggestions: dict[str, Any] | None = None) -> str:
    """The review page of one document; with its ``adjudication`` record, the open items too; with
    ``suggestions`` (a suggestions.json), those too, in their own style."""
    ann = doc.annotations
    names = _names(ann)
    extra = _suggestion_pieces(suggestions) if suggestions else []
    body = segments(doc.text, [*_pieces(ann, names), *extra])
    main = (
        f"<p><a href='index.html'>All documents</a></p><h1>{e(doc.meta['title'])}</h1>"
        f"<p><small>{e(doc.id)} · {e(doc.meta['publisher'])} · {e(doc.meta['published'])} · split {e(doc.split)}</small></p>"
        f"{_legend(Counter(m['label'] for m in ann['mentions']))}"
        f"<p id='js-summary' data-expected='{len(ann['mentions'])}'></p>"
        f"<div class='text'>{body}</div>"
    )
    aside = side_panel(ann) + adjudication_panel(adjudication)
    if suggestions is None:
        return _page(doc.meta["title"], main, aside)
    return _page(doc.meta["title"], f"<style>{SUGGESTION_CSS}</style>{main}", aside + suggestion_panel(suggestions))


def _diff_pieces(a: Annotations, b: Annotations) -> list[Piece]:
    """Mentions of both sides, each marked agree (same span and label), only-a or only-b."""
    key_a = {(m["start"], m["end"], m["label"]) for m in a["mentions"]}
    key_b = {(m["start"], m["end"], m["label"]) for m in b["mentions"]}
    out = []
    for side, ann, other in (("a", a, key_b), ("b", b, key_a)):
        for p in _pieces(ann, _names(ann), side=f"{side}-"):
            if p.layer != "mention":
                continue
            key = (p.start, p.end, p.attrs["data-label"])
            if side == "b" and key in key_a:
                continue  # drawn once, from side a
            status = "agree" if key in other else f"only-{side}"
            attrs = {**p.attrs, "data-mention": f"{side}:{p.attrs['data-mention']}", "data-entity": f"{side}:{p.attrs['data-entity']}"}
            out.append(Piece("mention", p.start, p.end, p.anchor, f"{p.classes} {status}", attrs, f"[{status}] {p.title}"))
    return out


def render_diff(doc: Document, other: Annotations) -> str:
    """Two annotations of one document merged: agreeing mentions, and those only A or only B has."""
    a = doc.annotations
    body = segments(doc.text, _diff_pieces(a, other))
    rows = "".join(
        f"<tr><td>{e(layer)}</td><td>{e(name)}</td><td>{'n/a' if v is None else (v if isinstance(v, int) else f'{v:.3f}')}</td></tr>"
        for layer, name, v in agreement.flatten(agreement.agreement(a, other))
    )
    main = (
        f"<h1>{e(doc.meta['title'])}: A (raw) vs B</h1>"
        "<p class='diff-key'><span class='agree'>agree</span><span class='only-a'>only in A</span><span class='only-b'>only in B</span></p>"
        f"{_legend(Counter(m['label'] for m in a['mentions']))}<p id='js-summary'></p>"
        f"<div class='text'>{body}</div><h2>Agreement</h2><table><tr><th>layer</th><th>figure</th><th>value</th></tr>{rows}</table>"
    )
    return _page(f"diff {doc.id}", main, "<h2>A</h2>" + side_panel(a, "a-") + "<h2>B</h2>" + side_panel(other, "b-"))


def render_index(docs: list[tuple[str, str, dict[str, Any]]]) -> str:
    """The index page: (doc id, title, layer counts) per document, linking to each page."""
    items = "".join(
        f"<li><a href='{e(doc_id)}.html'>{e(title)}</a> <small>{e(doc_id)} · "
        + ", ".join(f"{e(k)}: {e(v)}" for k, v in counts.items())
        + "</small></li>"
        for doc_id, title, counts in docs
    )
    return _page("newsanno review", f"<h1>newsanno review pages</h1><ul>{items}</ul>", "")
