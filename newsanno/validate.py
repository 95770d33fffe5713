"""Validation of one raw document folder into the document model.

Every check appends a :class:`~newsanno.problems.Problem`; nothing here raises on bad
input or prints.  A folder yields a :class:`~newsanno.model.Document` only when it has no
errors.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import stat
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, cast

import jsonschema
import regex

from newsanno import corpus, jsonio, schema
from newsanno.jsonio import DEFAULT_LIMITS, Limits
from newsanno.locate import locate
from newsanno.model import Annotations, Document, DocumentMeta
from newsanno.problems import Problem, has_errors
from newsanno.spanhint import occurs_hint


def _escape(part: str | int) -> str:
    return str(part).replace("~", "~0").replace("/", "~1")


def pointer(path: Iterable[str | int]) -> str:
    """RFC 6901 JSON pointer of a path of keys and indexes."""
    return "".join(f"/{_escape(p)}" for p in path)


def read_bytes(path: Path, limits: Limits) -> tuple[bytes | None, list[Problem]]:
    """Read a corpus file, refusing links and files over the size limit."""
    # One lstat answers "link?", "regular file?" and "how big?" (for a file that is no link,
    # lstat and stat agree); an lstat that fails means what is_symlink/is_file would: missing.
    try:
        info: os.stat_result | None = os.lstat(path)
    except OSError:
        info = None
    if info is not None and stat.S_ISLNK(info.st_mode):
        return None, [
            Problem(corpus.display(path), "file is a symbolic link; links may escape the corpus and are refused", "layout.symlink")
        ]
    if info is None or not stat.S_ISREG(info.st_mode):
        return None, [Problem(corpus.display(path), "required file is missing", "layout.missing_file")]
    size = info.st_size
    if size > limits.max_file_bytes:
        return None, [
            Problem(
                corpus.display(path),
                f"file is {size} bytes, over the limit of {limits.max_file_bytes}",
                "file.too_large",
                hint="raise the limit with --max-file-bytes if the file is genuine",
            )
        ]
    return path.read_bytes(), []


def _annotation_id(value: Any, path: list[str | int]) -> str | None:
    """The ``id`` of the innermost annotation object on ``path``, if any."""
    found = None
    node = value
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and isinstance(node.get("id"), str):
            found = node["id"]
    return found


def _schema_message(error: jsonschema.ValidationError) -> tuple[str, str | None]:
    """A precise message for a schema error, and a hint where one helps."""
    if error.validator == "oneOf" and all("const" in s for s in error.validator_value):
        allowed = [s["const"] for s in error.validator_value]
        close = difflib.get_close_matches(str(error.instance), allowed, n=1)
        hint = f"did you mean {close[0]!r}?" if close else None
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
        bound = {
            "minimum": "a number >= ",
            "maximum": "a number <= ",
            "minLength": "at least {} characters",
            "maxLength": "at most {} characters",
        }
        rule = bound.get(str(error.validator), "a string matching ")
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


def schema_problems(value: Any, schema_name: str, shown: str, *, has_float: bool | None = None) -> list[Problem]:
    """Every schema violation of ``value``, each located by pointer and annotation id.

    The compiled validator decides validity (valid input is the common, hot case); only
    when it finds an error does the ``jsonschema`` package produce the precise messages.
    ``has_float`` saves a walk when the caller already knows whether ``value`` holds a float.
    """
    if _fast_valid(value, schema_name, has_float):
        return []
    errors = sorted(schema.validator(schema_name).iter_errors(value), key=lambda e: list(map(str, e.path)))
    problems = []
    for error in errors:
        path = list(error.path)
        message, hint = _schema_message(error)
        where = list(path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            # Point at the unknown key itself, so line:col lands on it rather than on its object.
            extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
            where += extra[:1]
        problems.append(
            Problem(
                shown, message, f"schema.{error.validator}", pointer=pointer(where), annotation_id=_annotation_id(value, path), hint=hint
            )
        )
    return problems


def _has_float(value: Any) -> bool:
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, float):
            return True
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False


def _fast_valid(value: Any, schema_name: str, has_float: bool | None = None) -> bool:
    """The quick yes of jsonschema-rs (Rust, ~100x faster) for the usual, valid file.

    Only a "no" goes on to the Python validator, whose errors carry the paths the messages
    need.  A float is always sent the slow way: JSON Schema counts 11.0 as an integer, this
    project does not (see :func:`newsanno.schema.validator`).
    """
    if has_float is None:
        has_float = _has_float(value)
    return not has_float and bool(schema.fast_validator(schema_name).is_valid(value))


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


def grapheme_boundaries(text: str) -> frozenset[int]:
    """Offsets at which a span may start or end: the edges of extended grapheme clusters (``\\X``)."""
    return frozenset(range(len(text) + 1)) - _inside_clusters(text)


_GRAPHEME = regex.compile(r"\X")
_NON_ASCII = regex.compile(r"[^\x00-\x7f]+")


def _inside_clusters(text: str) -> set[int]:
    """Offsets strictly inside a grapheme cluster of more than one character.

    Segmenting the whole text costs ~4 ms per article, yet between two ASCII characters there is
    always a boundary except inside CR LF (no ASCII character is Extend, SpacingMark, Prepend,
    ZWJ, Hangul, regional indicator or pictographic).  So only CR LF and the stretches around
    non-ASCII runs (one ASCII character either side, which a combining mark or a Prepend can
    join) are segmented; each stretch starts and ends at a true boundary, so its clusters are
    the whole text's.
    """
    inside: set[int] = set()
    start = text.find("\r\n")
    while start != -1:
        inside.add(start + 1)
        start = text.find("\r\n", start + 2)
    windows: list[list[int]] = []
    for run in _NON_ASCII.finditer(text):
        lo, hi = max(run.start() - 1, 0), min(run.end() + 1, len(text))
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = hi
        else:
            windows.append([lo, hi])
    for lo, hi in windows:
        offset = lo
        for cluster in _GRAPHEME.findall(text, lo, hi):
            inside.update(range(offset + 1, offset + len(cluster)))
            offset += len(cluster)
    return inside


def span_problems(
    span: dict[str, Any], text: str, shown: str, where: str, ann_id: str | None, boundaries: frozenset[int] | None = None
) -> list[Problem]:
    """Offsets of one span: ordered, in range, on grapheme boundaries, and pointing at the span's own text."""
    start, end, said = span["start"], span["end"], span["text"]
    if end <= start:
        kind = "zero-length" if end == start else "reversed"
        return [
            Problem(
                shown,
                f"{kind} span: start {start} is not before end {end}",
                "span.order",
                pointer=f"{where}/end",
                annotation_id=ann_id,
                hint=occurs_hint(text, said, start),
            )
        ]
    if end > len(text):
        return [
            Problem(
                shown,
                f"span end {end} is past the end of text.txt ({len(text)} characters)",
                "span.range",
                pointer=f"{where}/end",
                annotation_id=ann_id,
            )
        ]
    for name, offset in (("start", start), ("end", end)):
        if boundaries is not None and offset not in boundaries:
            left = max(b for b in boundaries if b < offset)
            right = min(b for b in boundaries if b > offset)
            return [
                Problem(
                    shown,
                    f"{name} {offset} splits the grapheme cluster {text[left:right]!r} at {left}..{right}; "
                    f"expected {left} or {right}, found {offset}",
                    "span.grapheme",
                    pointer=f"{where}/{name}",
                    annotation_id=ann_id,
                    hint="a base letter and its combining marks (or an emoji sequence) belong to one span",
                )
            ]
    actual = text[start:end]
    if actual == said:
        return []
    hint = occurs_hint(text, said, start)
    return [
        Problem(
            shown,
            f"`text` is {said!r} but text[{start}:{end}] is {actual!r}",
            "span.text",
            pointer=f"{where}/start",
            annotation_id=ann_id,
            hint=hint,
        )
    ]


def annotation_problems(ann: Annotations, text: str, shown: str, skip: set[str] | frozenset[str] = frozenset()) -> list[Problem]:
    """Rules beyond the schema: spans, unique ids, references, label agreement, flat names.

    Annotations whose pointer (``/layer/i``) is in ``skip`` failed the schema and are left
    out; references to their ids are not reported as dangling.
    """
    # Nearly every file is clean: one bulk pass says so; only a file with some fault takes the
    # per-annotation pass, whose messages need the where and why of each.
    if not skip and _all_valid(ann, text):
        return []
    return _rule_problems(ann, text, shown, skip)


_ABSENT = object()


def _all_valid(ann: Annotations, text: str) -> bool:
    """True exactly when :func:`_rule_problems` (without ``skip``) finds nothing."""
    layers = [cast(list[dict[str, Any]], ann[layer]) for layer in schema.LAYERS]  # type: ignore[literal-required]
    if len({x["id"] for items in layers for x in items}) != sum(map(len, layers)):
        return False  # a duplicate id
    spans = [x for items in layers for x in items if "start" in x]
    spans += [q["cue"] for q in ann["quotes"] if q["cue"] is not None]
    size = len(text)
    if [x for x in spans if not (0 <= x["start"] < x["end"] <= size and text[x["start"] : x["end"]] == x["text"])]:
        return False
    inside = _inside_clusters(text)
    if inside and [x for x in spans if x["start"] in inside or x["end"] in inside]:
        return False
    entity_type = {e["id"]: e["type"] for e in ann["entities"]}
    owner = {m["id"]: m["entity_id"] for m in ann["mentions"]}
    if [m for m in ann["mentions"] if entity_type.get(m["entity_id"], _ABSENT) != m["label"]]:
        return False  # a dangling entity or a label that differs from its entity's type
    people = [(q["speaker_mention_id"], q["speaker_entity_id"]) for q in ann["quotes"]]
    people += [(c["claimant_mention_id"], c["claimant_entity_id"]) for c in ann["claims"]]
    # Valid: no mention and no or an existing entity; or an existing mention of an existing entity, named as such.
    for mention, entity in people:
        if not (entity is None or entity in entity_type) or (mention is not None and owner.get(mention, _ABSENT) != entity):
            return False
    quote_ids = {q["id"] for q in ann["quotes"]}
    if [c for c in ann["claims"] if c["quote_id"] is not None and c["quote_id"] not in quote_ids]:
        return False
    last_end = -1
    for start, end in sorted((m["start"], m["end"]) for m in ann["mentions"] if m["form"] == "NAM"):
        if start < last_end:
            return False  # overlapping names
        last_end = max(last_end, end)
    return True


def _rule_problems(ann: Annotations, text: str, shown: str, skip: set[str] | frozenset[str]) -> list[Problem]:
    """The per-annotation pass of :func:`annotation_problems`: every problem, located."""
    problems: list[Problem] = []
    add = problems.append
    boundaries = grapheme_boundaries(text)
    unchecked: set[str] = set()
    if skip:
        kept: dict[str, Any] = {}
        for layer in schema.LAYERS:
            items = cast(list[Any], ann[layer])  # type: ignore[literal-required]
            kept[layer] = [(i, x) for i, x in enumerate(items) if f"/{layer}/{i}" not in skip]
            unchecked.update(
                x["id"] for i, x in enumerate(items) if f"/{layer}/{i}" in skip and isinstance(x, dict) and isinstance(x.get("id"), str)
            )
    else:
        kept = {layer: list(enumerate(ann[layer])) for layer in schema.LAYERS}  # type: ignore[literal-required]

    ids: dict[str, str] = {}
    for layer in schema.LAYERS:
        for i, item in kept[layer]:
            where = f"/{layer}/{i}"
            if item["id"] in ids:
                add(
                    Problem(
                        shown,
                        f"duplicate id {item['id']!r} (first used at {ids[item['id']]})",
                        "ref.duplicate_id",
                        pointer=f"{where}/id",
                        annotation_id=item["id"],
                        hint="give every annotation of the document its own id",
                    )
                )
            else:
                ids[item["id"]] = where
            if "start" in item:
                problems.extend(span_problems(item, text, shown, where, item["id"], boundaries))
    # Lookups keep the first annotation of a duplicated id, so a duplicate is reported once
    # and not again through every reference to it.
    entities = _first_by_id(e for _, e in kept["entities"])
    mentions = _first_by_id(m for _, m in kept["mentions"])
    quotes = _first_by_id(q for _, q in kept["quotes"])

    def ref(target: dict[str, Any], kind: str, value: str | None, where: str, ann_id: str) -> bool:
        if value is None or value in target:
            return value is not None
        if value in unchecked:
            return False  # refers to an annotation already reported as malformed
        close = difflib.get_close_matches(value, list(target), n=1)
        add(
            Problem(
                shown,
                f"{kind} {value!r} does not exist",
                "ref.dangling",
                pointer=where,
                annotation_id=ann_id,
                hint=f"did you mean {close[0]!r}?" if close else None,
            )
        )
        return False

    for i, m in kept["mentions"]:
        if ref(entities, "entity", m["entity_id"], f"/mentions/{i}/entity_id", m["id"]):
            etype = entities[m["entity_id"]]["type"]
            if etype != m["label"]:
                add(
                    Problem(
                        shown,
                        f"mention label {m['label']} differs from its entity's type {etype} ({m['entity_id']})",
                        "ref.label_mismatch",
                        pointer=f"/mentions/{i}/label",
                        annotation_id=m["id"],
                        hint="a mention's label must equal its entity's type",
                    )
                )
    for i, q in kept["quotes"]:
        if q["cue"] is not None:
            problems.extend(span_problems(cast(dict[str, Any], q["cue"]), text, shown, f"/quotes/{i}/cue", q["id"], boundaries))
        has_mention = ref(mentions, "mention", q["speaker_mention_id"], f"/quotes/{i}/speaker_mention_id", q["id"])
        has_entity = ref(entities, "entity", q["speaker_entity_id"], f"/quotes/{i}/speaker_entity_id", q["id"])
        _owner_check(
            add,
            shown,
            mentions,
            q["speaker_mention_id"] if has_mention else None,
            q["speaker_entity_id"],
            has_entity,
            f"/quotes/{i}",
            q["id"],
            "speaker",
        )
    for i, c in kept["claims"]:
        has_mention = ref(mentions, "mention", c["claimant_mention_id"], f"/claims/{i}/claimant_mention_id", c["id"])
        has_entity = ref(entities, "entity", c["claimant_entity_id"], f"/claims/{i}/claimant_entity_id", c["id"])
        ref(quotes, "quote", c["quote_id"], f"/claims/{i}/quote_id", c["id"])
        _owner_check(
            add,
            shown,
            mentions,
            c["claimant_mention_id"] if has_mention else None,
            c["claimant_entity_id"],
            has_entity,
            f"/claims/{i}",
            c["id"],
            "claimant",
        )

    problems.extend(_overlapping_names([(i, m) for i, m in kept["mentions"]], shown))
    return problems


def _first_by_id(items: Iterable[Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for item in items:
        found.setdefault(item["id"], item)
    return found


def _owner_check(
    add: Callable[[Problem], None],
    shown: str,
    mentions: dict[str, Any],
    mention_id: str | None,
    entity_id: str | None,
    entity_ok: bool,
    where: str,
    ann_id: str,
    role: str,
) -> None:
    """A speaker/claimant mention must belong to the speaker/claimant entity."""
    if mention_id is None:
        return
    owner = mentions[mention_id]["entity_id"]
    if entity_id is None:
        add(
            Problem(
                shown,
                f"{role}_mention_id is set but {role}_entity_id is null",
                f"ref.{role}_entity",
                pointer=f"{where}/{role}_entity_id",
                annotation_id=ann_id,
                hint=f"set {role}_entity_id to {owner!r}",
            )
        )
    elif entity_ok and owner != entity_id:
        add(
            Problem(
                shown,
                f"{role} mention {mention_id!r} belongs to entity {owner!r}, not to {role}_entity_id {entity_id!r}",
                f"ref.{role}_entity",
                pointer=f"{where}/{role}_mention_id",
                annotation_id=ann_id,
            )
        )


def _overlapping_names(mentions: list[tuple[int, dict[str, Any]]], shown: str) -> list[Problem]:
    """NAM mentions are flat, as in OntoNotes: no two may overlap."""
    problems = []
    named = sorted(((m["start"], m["end"], i, m["id"]) for i, m in mentions if m["form"] == "NAM"))
    last_end, last_id = -1, ""
    for start, end, i, mid in named:
        if start < last_end:
            problems.append(
                Problem(
                    shown,
                    f"NAM mention overlaps NAM mention {last_id!r}; names are flat",
                    "span.nam_overlap",
                    pointer=f"/mentions/{i}",
                    annotation_id=mid,
                    hint="keep the longer name, or mark the inner one NOM",
                )
            )
        if end > last_end:
            last_end, last_id = end, mid
    return problems


def text_problems(text: str, shown: str) -> list[Problem]:
    """The canonical text's form: NFC, paragraphs split by one blank line, one final LF."""
    problems = []
    if not jsonio.is_nfc(text):
        problems.append(Problem(shown, "text is not in Unicode NFC", "text.nfc", hint="normalize the text to NFC"))
    if not text.endswith("\n") or text.endswith("\n\n"):
        problems.append(Problem(shown, "text must end with exactly one line feed", "text.final_newline"))
    run = text.find("\n\n\n")
    if run != -1:
        line, _ = jsonio.line_col(text, run)
        problems.append(Problem(shown, "more than one blank line between paragraphs", "text.blank_lines", line=line + 1, column=1))
    return problems


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _locate(problems: list[Problem], raw: bytes | None) -> list[Problem]:
    """Fill in line and column of JSON problems from their pointers."""
    needs = [p for p in problems if p.line is None]
    if not needs or raw is None:
        return problems
    positions = locate(raw.decode("utf-8"), (p.pointer for p in needs))
    out = []
    for p in problems:
        if p.line is None:
            ptr = p.pointer
            while ptr and ptr not in positions:
                ptr = ptr.rsplit("/", 1)[0]
            line, col = positions.get(ptr, (None, None))
            # The constructor, not dataclasses.replace (5x slower; 200,000 problems are located at once).
            p = Problem(p.file, p.message, p.code, p.pointer, line, col, p.annotation_id, p.hint, p.severity)
        out.append(p)
    return out


def _json_file(
    raw: bytes,
    shown: str,
    schema_name: str,
    limits: Limits,
    semantic: Callable[[Any, set[str]], list[Problem]],
    *,
    per_item: bool = False,
) -> tuple[Any, list[Problem]]:
    """Parse, schema-check, then apply the semantic rules to what has the right shape.

    With ``per_item`` the semantic rules still run when some annotations fail the schema,
    skipping just those (see :func:`invalid_items`).
    """
    value, found, exact = jsonio.parse_json_exact(raw, shown, limits)
    if value is None:
        return None, found
    # "Any float?" (the fast validator cannot judge those) and "keys in schema order?" (with
    # ``exact``, that alone decides the canonical-form check), each by bulk checks of whole lists.
    has_float = jsonio.has_float(value)
    in_order = exact and not has_float and schema.in_order(value, schema_name)  # only read in that case
    crlf = raw.find(b"\r")
    if crlf != -1:
        line, col = jsonio.line_col(raw.decode("utf-8"), raw[:crlf].decode("utf-8", errors="replace").__len__())
        found.append(
            Problem(
                shown,
                "carriage return found; line ends must be LF",
                "encoding.crlf",
                line=line,
                column=col,
                hint=f"run: newsanno format {shown}",
            )
        )
    schema_found = schema_problems(value, schema_name, shown, has_float=has_float)
    found += schema_found
    if not schema_found:
        found += semantic(value, set())
    elif per_item:
        skip = invalid_items(schema_found)
        if skip is not None:
            found += semantic(value, skip)
    found = _locate(found, raw)
    # ``exact`` bytes equal json.dumps' except where floats are written (orjson: 1e16, json: 1e+16).
    fast = exact and not has_float
    if not has_errors(found) and not (in_order if fast else raw.decode("utf-8") == jsonio.canonical_dumps(value, schema_name)):
        found.append(
            Problem(
                shown,
                "valid, but not in canonical JSON form",
                "format.not_canonical",
                severity="warning",
                hint=f"run: newsanno format {shown}",
            )
        )
    return value, found


def load_document(folder: Path, limits: Limits = DEFAULT_LIMITS) -> tuple[Document | None, list[Problem]]:
    """Read and check one document folder; the Document is returned only when error-free."""
    problems: list[Problem] = []
    paths = {name: folder / name for name in corpus.FILES}
    origin, shown = shown_paths(folder)
    data: dict[str, bytes | None] = {}
    for name, path in paths.items():
        data[name], found = read_bytes(path, limits)
        problems.extend(found)

    text: str | None = None
    if data[corpus.TEXT] is not None:
        text, found = jsonio.decode_text(cast(bytes, data[corpus.TEXT]), shown[corpus.TEXT])
        problems.extend(found)
        if text is not None and not found:
            problems.extend(text_problems(text, shown[corpus.TEXT]))

    meta: Any = None
    if data[corpus.DOCUMENT] is not None:
        meta, found = _json_file(
            cast(bytes, data[corpus.DOCUMENT]),
            shown[corpus.DOCUMENT],
            schema.DOCUMENT,
            limits,
            lambda m, _skip: _meta_problems(m, folder, data, shown),
        )
        problems.extend(found)

    ann: Any = None
    if data[corpus.ANNOTATIONS] is not None:

        def semantic(value: Any, skip: set[str]) -> list[Problem]:
            found = []
            if isinstance(value["document_id"], str) and value["document_id"] != folder.name:
                found.append(
                    Problem(
                        shown[corpus.ANNOTATIONS],
                        f"document_id {value['document_id']!r} differs from the folder name {folder.name!r}",
                        "ref.document_id",
                        pointer="/document_id",
                    )
                )
            if text is not None:
                found.extend(annotation_problems(value, text, shown[corpus.ANNOTATIONS], skip))
            return found

        ann, found = _json_file(
            cast(bytes, data[corpus.ANNOTATIONS]), shown[corpus.ANNOTATIONS], schema.ANNOTATIONS, limits, semantic, per_item=True
        )
        problems.extend(found)

    if has_errors(problems) or text is None:
        return None, problems
    return Document(meta=cast(DocumentMeta, meta), text=text, annotations=cast(Annotations, ann), origin=origin), problems


def shown_paths(folder: Path) -> tuple[str, dict[str, str]]:
    """``corpus.display`` of the folder and of each of its files, with one ``relative_to`` instead of five."""
    cwd = Path.cwd()
    try:
        base = str(folder.relative_to(cwd))
        files = {name: name if base == "." else f"{base}/{name}" for name in corpus.FILES}
    except ValueError:
        base = str(folder)
        files = {name: name if base == "." else f"{base}/{name}" for name in corpus.FILES}
        if base == "/" or str(cwd) in files.values():  # the root, or a file path that is the working directory
            files = {name: corpus.display(folder / name) for name in corpus.FILES}
    return base, files


def _meta_problems(meta: dict[str, Any], folder: Path, data: dict[str, bytes | None], shown: dict[str, str]) -> list[Problem]:
    problems = []
    where = shown[corpus.DOCUMENT]
    if meta["id"] != folder.name:
        problems.append(Problem(where, f"id {meta['id']!r} differs from the folder name {folder.name!r}", "ref.document_id", pointer="/id"))
    for name, field in ((corpus.SOURCE, "source_sha256"), (corpus.TEXT, "text_sha256")):
        content = data[name]
        if content is not None and _sha256(content) != meta[field]:
            consequence = "offsets would silently drift" if name == corpus.TEXT else "the source is not the one recorded"
            problems.append(
                Problem(
                    where,
                    f"{field} does not match {name} (file hashes to {_sha256(content)}); {consequence}",
                    "hash.mismatch",
                    pointer=f"/{field}",
                    hint=f"if {name} was changed on purpose, re-check every offset and update {field}",
                )
            )
    return problems
