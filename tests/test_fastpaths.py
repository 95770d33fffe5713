"""The hot path's shortcuts give exactly what the plain, slow computations give.

Each fast path (orjson exact parse, bulk key-order and float checks, windowed grapheme
segmentation, str.find name scan) is compared with the reference it replaces, and each semantic
rule's cheap clean-check with its explaining check, on hostile and random input.
"""

from __future__ import annotations

import copy
import itertools
import json
import random
from pathlib import Path
from typing import Any

import pytest
import regex

from newsanno import corpus, jsonio, rows, schema, validate
from newsanno.model import Document
from newsanno.problems import Problem
from newsanno.tokens import Tokenization
from newsanno.validate import Limits, Scope, grapheme_boundaries
from newsanno.validate.lint import _whole_word, _whole_word_spans

CANONICAL = jsonio.canonical_dumps({"document_id": "d", "entities": [], "mentions": []}, schema.ANNOTATIONS).encode()

HOSTILE = [
    CANONICAL,
    b'{\n  "a": 1,\n  "a": 2\n}\n',  # duplicate key, in otherwise canonical layout
    b'{\n  "a": NaN\n}\n',
    b'{\n  "a": Infinity\n}\n',
    b'{\n  "a": 18446744073709551616\n}\n',  # over 64 bits: orjson reads a float
    b'{\n  "a": ' + b"9" * 40 + b"\n}\n",  # over MAX_DIGITS
    b'{\n  "a": -9223372036854775809\n}\n',
    b'{\n  "a": 1e400\n}\n',
    b'{\n  "a": 1e16\n}\n',
    b'{\n  "a": 1.5\n}\n',
    b'{\n  "a": "\\ud800"\n}\n',  # lone surrogate
    b'{\n  "a": "\\ud83d\\ude00 \\u00e9 \\u2028"\n}\n',
    b'\xef\xbb\xbf{\n  "a": 1\n}\n',  # BOM
    b'{\n  "a": "\xff"\n}\n',  # bad UTF-8
    b'{\r\n  "a": 1\r\n}\r\n',
    b'{"a": 1}',
    b"[]\n",
    b"{}\n",
    b"",
    b"{\n",
]


def _nested(depth: int) -> bytes:
    value: object = 0
    for _ in range(depth - 1):
        value = [value]
    return (json.dumps(value, indent=2) + "\n").encode()


@pytest.mark.parametrize("data", HOSTILE + [_nested(d) for d in (3, 4, 5, 6)])
@pytest.mark.parametrize("max_depth", [2, 4, 32])
def test_exact_parse_equals_strict_parse(data: bytes, max_depth: int) -> None:
    limits = Limits(max_depth=max_depth)
    value, problems, exact = validate.parse_json_exact(data, "f.json", limits)
    ref_value, ref_problems = validate.parse_json(data, "f.json", limits)
    assert problems == ref_problems
    assert json.dumps(value) == json.dumps(ref_value)
    if exact and "." not in json.dumps(ref_value) and "e" not in json.dumps(ref_value).replace('"a"', ""):
        # Without floats the fast path's bytes are json.dumps' bytes.
        assert data == (json.dumps(ref_value, indent=2, ensure_ascii=False) + "\n").encode()


def test_exact_parse_takes_the_fast_path_on_canonical_bytes() -> None:
    assert validate.parse_json_exact(CANONICAL, "f.json")[2] is True
    assert validate.parse_json_exact(b'{\n  "a": 1,\n  "a": 2\n}\n', "f.json")[2] is False


def test_dumps_indented_equals_json_dumps() -> None:
    values = [{"a": [1.5, 1e16, -0.0, 2**70, "\ud800", "é\u2028\x00\x7f"]}, {"b": {}, "c": [], "d": None, "e": True}, 2**64, "x"]
    for value in values:
        expected = (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode("utf-8", errors="surrogatepass")
        assert jsonio.dumps_indented(value) == expected


def _shuffled(value: object, rnd: random.Random) -> object:
    if isinstance(value, dict):
        items = [(k, _shuffled(v, rnd)) for k, v in value.items()]
        if rnd.random() < 0.2:
            rnd.shuffle(items)
        return dict(items)
    if isinstance(value, list):
        return [_shuffled(v, rnd) for v in value]
    return value


def _canonical_keys(value: Any) -> bool:
    """The explaining check of the canonical-form rule on exact bytes: re-serialize in schema order, compare."""
    return jsonio.dumps_indented(value).decode("utf-8", errors="surrogatepass") == jsonio.canonical_dumps(value, schema.ANNOTATIONS)


def test_key_order_and_float_checks_agree_with_canonical_order(corpus) -> None:  # type: ignore[no-untyped-def]
    rnd = random.Random(7)
    for folder in sorted(corpus.iterdir()):
        ann = json.loads((folder / "annotations.json").read_text(encoding="utf-8"))
        for _ in range(30):
            value = _shuffled(ann, rnd)
            if rnd.random() < 0.3 and value["mentions"]:  # type: ignore[index]
                value["mentions"][0]["extra"] = {"z": 1.5, "a": [2.0]}  # type: ignore[index]
            assert validate.in_order(value, schema.ANNOTATIONS) == _canonical_keys(value)
            assert jsonio.has_float(value) == ("1.5" in json.dumps(value) or "2.0" in json.dumps(value))


GRAPHEME_POOL = [
    *'ab \n\r."',
    "\u0301",  # combining acute (Extend)
    "\u0600",  # Arabic number sign (Prepend)
    "\u0903",  # Devanagari visarga (SpacingMark)
    "\u200d",  # ZWJ
    "\U0001f600",
    "\U0001f1e6",  # regional indicators
    "\U0001f1fa",
    "\u1100",  # Hangul L, V, T, LV
    "\u1161",
    "\u11a8",
    "\uac00",
    "é",
    "\ufe0f",
    "\u20e3",
    "\u0915",  # Devanagari KA + virama (Indic conjuncts)
    "\u094d",
    "\u2764",
    "#",
]


def test_grapheme_boundaries_equal_full_segmentation() -> None:
    rnd = random.Random(11)
    for _ in range(20_000):
        text = "".join(rnd.choice(GRAPHEME_POOL) for _ in range(rnd.randint(0, 14)))
        full = frozenset([0, *(m.end() for m in regex.finditer(r"\X", text))])
        assert grapheme_boundaries(text) == full, repr(text)


def test_whole_word_spans_equal_regex() -> None:
    rnd = random.Random(13)
    alphabet = "aA b_1.é$-\n"
    for _ in range(20_000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 30)))
        needle = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 3)))
        assert list(_whole_word_spans(text, needle)) == [m.span() for m in _whole_word(needle).finditer(text)]


def _reference_ner(doc: Document, tokens: Tokenization) -> tuple[list[rows.Row], list[Problem]]:
    """The per-token-dict implementation :func:`rows.ner_rows` replaced, kept as the reference."""
    tag_id = {tag: i for i, tag in enumerate(schema.NER_TAGS)}
    tags = [0] * len(tokens.starts)
    first_token = {start: i for i, start in enumerate(tokens.starts)}
    last_token = {end: i for i, end in enumerate(tokens.ends)}
    sentence_of = [0] * len(tokens.starts)
    for s, (lo, hi) in enumerate(tokens.sentences):
        sentence_of[lo:hi] = [s] * (hi - lo)
    problems = []
    shown = f"{doc.origin}/annotations.json"
    for index, m in enumerate(doc.annotations["mentions"]):
        if m["form"] != "NAM":
            continue
        i, j = first_token.get(m["start"]), last_token.get(m["end"])
        if i is None or j is None:
            near = [doc.text[a:b] for a, b in zip(tokens.starts, tokens.ends, strict=True) if b > m["start"] and a < m["end"]]
            message = f"NAM mention {m['text']!r} at {m['start']}..{m['end']} does not align to token boundaries (tokens: {near!r})"
            problems.append(
                Problem(
                    shown,
                    message,
                    "ner.misaligned",
                    f"/mentions/{index}",
                    annotation_id=m["id"],
                    hint="extend or shrink the span to whole tokens",
                )
            )
        elif sentence_of[i] != sentence_of[j]:
            message = f"NAM mention {m['text']!r} crosses a sentence boundary"
            problems.append(Problem(shown, message, "ner.cross_sentence", f"/mentions/{index}", annotation_id=m["id"]))
        else:
            tags[i] = tag_id[f"B-{m['label']}"]
            tags[i + 1 : j + 1] = [tag_id[f"I-{m['label']}"]] * (j - i)
    if problems:
        return [], problems
    out = []
    for s, (lo, hi) in enumerate(tokens.sentences):
        words = [doc.text[a:b] for a, b in zip(tokens.starts[lo:hi], tokens.ends[lo:hi], strict=True)]
        out.append(
            {
                "document_id": doc.id,
                "sentence_id": s,
                "tokens": words,
                "ner_tags": tags[lo:hi],
                "token_starts": list(tokens.starts[lo:hi]),
                "token_ends": list(tokens.ends[lo:hi]),
                "text": doc.text[tokens.starts[lo] : tokens.ends[hi - 1]],
                "spaces": [tokens.ends[k] != tokens.starts[k + 1] for k in range(lo, hi - 1)] + [False],
            }
        )
    return out, []


def _random_ner_case(rnd: random.Random) -> tuple[Document, Tokenization]:
    size = rnd.randint(0, 60)
    text = "".join(rnd.choice("ab c") for _ in range(size))
    starts, ends, pos = [], [], 0
    while pos < size:  # strictly increasing, non-overlapping tokens with gaps, as spaCy gives
        pos += rnd.randint(0, 2)
        length = rnd.randint(1, 4)
        if pos + length > size:
            break
        starts.append(pos)
        ends.append(pos + length)
        pos += length
    cuts = sorted({0, len(starts), *rnd.sample(range(len(starts) + 1), k=min(len(starts), rnd.randint(0, 4)))})
    sentences = tuple((a, b) for a, b in itertools.pairwise(cuts) if a < b)
    mentions = []
    for k in range(rnd.randint(0, 8)):
        if starts and rnd.random() < 0.7:  # mostly token-aligned, so tags are built too
            i = rnd.randrange(len(starts))
            j = min(len(starts) - 1, i + rnd.randint(0, 3))
            start, end = starts[i] + rnd.choice([0, 0, 0, 1]), ends[j] - rnd.choice([0, 0, 0, 1])
        else:
            start = rnd.randint(0, max(size - 1, 0))
            end = rnd.randint(start + 1, size + 1)
        label = rnd.choice(schema.ENTITY_TYPES)
        form = rnd.choice(["NAM", "NAM", "NOM"])
        mentions.append(
            {"id": f"m{k}", "entity_id": "e1", "start": start, "end": end, "text": text[start:end], "label": label, "form": form}
        )
    annotations = {"document_id": "d", "entities": [], "mentions": mentions, "quotes": [], "claims": []}
    meta = {"id": "d"}
    doc = Document(meta=meta, text=text, annotations=annotations, origin="raw/d")  # type: ignore[arg-type]
    return doc, Tokenization(tuple(starts), tuple(ends), sentences)


def test_ner_check_equals_per_token_dicts() -> None:
    rnd = random.Random(17)
    outcomes = set()
    for _ in range(5_000):
        doc, tokens = _random_ner_case(rnd)
        expected = _reference_ner(doc, tokens)
        assert rows.ner_rows(doc, tokens) == expected
        assert rows.ner_problems(doc, tokens) == expected[1]
        outcomes.update(p.code for p in expected[1])
        outcomes.add("rows" if expected[0] else "none")
    assert outcomes == {"ner.misaligned", "ner.cross_sentence", "rows", "none"}  # every branch was exercised


def _mutated(ann: dict[str, Any], text: str, rnd: random.Random) -> tuple[dict[str, Any], str]:
    """A copy of a valid document with a few random faults of the kinds the semantic rules catch."""
    ann = copy.deepcopy(ann)
    layers = [ann[layer] for layer in schema.LAYERS]
    ids = [x["id"] for items in layers for x in items]
    for _ in range(rnd.choice([0, 1, 1, 2])):
        spans = [x for items in layers for x in items if "start" in x] + [q["cue"] for q in ann["quotes"] if q["cue"]]
        kind = rnd.randrange(13)
        if kind == 0 and spans:
            x, edge = rnd.choice(spans), rnd.choice(["start", "end"])
            x[edge] = max(0, x[edge] + rnd.choice([-1, 1, len(text)]))  # offsets >= 0, as the schema demands
        elif kind == 1 and spans:
            x = rnd.choice(spans)
            x["end"] = max(0, x["start"] - rnd.choice([0, 1]))
        elif kind == 2 and spans:
            x = rnd.choice(spans)
            x["text"] = x["text"][:-1] + "#"
        elif kind == 3:
            items = rnd.choice(layers)
            if items:
                rnd.choice(items)["id"] = rnd.choice(ids)
        elif kind == 4 and ann["mentions"]:
            rnd.choice(ann["mentions"])[rnd.choice(["entity_id", "label"])] = rnd.choice([*ids, "nope", *schema.ENTITY_TYPES])
        elif kind in (5, 6) and (ann["quotes"] or ann["claims"]):
            role = rnd.choice([("quotes", "speaker"), ("claims", "claimant")])
            items = ann[role[0]]
            if items:
                field = rnd.choice([f"{role[1]}_mention_id", f"{role[1]}_entity_id"])
                rnd.choice(items)[field] = rnd.choice([None, "nope", *ids])
        elif kind == 7 and ann["claims"]:
            rnd.choice(ann["claims"])["quote_id"] = rnd.choice([None, "nope", *ids])
        elif kind == 8 and ann["mentions"]:
            rnd.choice(ann["mentions"])["form"] = rnd.choice(schema.MENTION_FORMS)
        elif kind == 9 and spans:  # a combining mark or ZWJ next to a span edge: a split cluster
            at = min(max(rnd.choice(spans)["start"] + rnd.choice([-1, 0, 1]), 1), len(text) - 1)
            text = text[:at] + rnd.choice(["\u0301", "\u200d", "\u0903"]) + text[at + 1 :]
        elif kind == 10 and ann["quotes"]:
            q = rnd.choice(ann["quotes"])
            q["cue"] = None if rnd.random() < 0.5 else {"start": q["start"], "end": q["end"], "text": q["text"]}
        elif kind == 11 and ann["entities"]:  # something invisible, or a decomposed accent, in a name
            e = rnd.choice(ann["entities"])
            e["name"] += rnd.choice(["\u200b", "\u202e", "\x07", "e\u0301", "\n", "\\t"])
            if spans and rnd.random() < 0.5:  # a line feed is allowed in a span's text, a TAB is not
                rnd.choice(spans)["text"] += rnd.choice(["\n", "\t", "\n\u200d"])
        elif kind == 12:  # the same quote, claim or mention a second time under a new id (an accept re-run)
            items = rnd.choice([ann["quotes"], ann["claims"], ann["mentions"]])
            if items:
                items.append({**rnd.choice(items), "id": f"X{len(items)}"})
    return ann, text


def test_each_rule_clean_check_equals_its_explaining_check(corpus) -> None:  # type: ignore[no-untyped-def]
    from conftest import ROOT, SEED_ID

    docs = []
    # The fixture corpus and the seed: fixed documents, whatever else raw/ holds.
    for folder in [*sorted(corpus.iterdir()), ROOT / "raw" / SEED_ID]:
        docs.append(
            (json.loads((folder / "annotations.json").read_text(encoding="utf-8")), (folder / "text.txt").read_text(encoding="utf-8"))
        )
    rnd = random.Random(19)
    seen = {"clean": 0, "faulty": 0}
    codes: set[str] = set()
    outcomes: set[tuple[str, bool]] = set()
    for n in range(3_000):
        ann, text = _mutated(*docs[n % len(docs)], rnd)
        clean = True
        for rule in validate.RULES:
            explained = [p for _, p in rule.explain(Scope(ann, text, "a.json"))]  # type: ignore[arg-type]
            assert rule.clean(ann, text) == (explained == []), (n, rule.name, explained[:3])  # type: ignore[arg-type]
            outcomes.add((rule.name, explained == []))
            clean = clean and explained == []
            codes.update(p.code for p in explained)
        problems = validate.annotation_problems(ann, text, "a.json")  # type: ignore[arg-type]
        assert (problems == []) == clean
        assert {p.code for p in problems} == {p.code for rule in validate.RULES for _, p in rule.explain(Scope(ann, text, "a.json"))}  # type: ignore[arg-type]
        seen["clean" if clean else "faulty"] += 1
    assert min(seen.values()) > 300
    assert {"span.order", "span.range", "span.text", "span.grapheme", "ref.duplicate_id", "ref.dangling"} <= codes
    assert {
        "ref.label_mismatch",
        "ref.speaker_entity",
        "ref.claimant_entity",
        "span.nam_overlap",
        "text.invisible",
        "text.nfc",
        "span.duplicate",
    } <= codes
    assert outcomes == {(rule.name, ok) for rule in validate.RULES for ok in (True, False)}  # every rule clean and faulty


def _random_value(rnd: random.Random, depth: int = 0) -> Any:
    """JSON values with floats, big and small integers, and strings that look like number tokens."""
    kind = rnd.randrange(9 if depth < 4 else 6)
    if kind == 0:
        return rnd.choice([0, -7, 12345, 2**63 - 1, -(2**63)])
    if kind == 1:
        return rnd.choice([1.5, -0.0, 1e16, 2.0, 1.5e-7, -3e300])
    if kind == 2:
        return rnd.choice(['": 1.5', "\n  2.5", '\\": 3e5', "x\ny", "1.0", "é", ""])
    if kind == 3:
        return rnd.choice([None, True, False])
    if kind in (4, 5):
        return rnd.choice(["id", "start", "a"])
    if kind in (6, 7):
        keys = ["id", "start", "end", "text", "cue", "mentions", "z", '": 1.5']
        return {rnd.choice(keys): _random_value(rnd, depth + 1) for _ in range(rnd.randint(0, 4))}
    return [_random_value(rnd, depth + 1) for _ in range(rnd.randint(0, 4))]


def _walk_has_float(value: Any) -> bool:
    """The reference: visit every value."""
    stack = [value]
    while stack:
        node = stack.pop()
        if type(node) is float:
            return True
        if type(node) is dict:
            stack.extend(node.values())
        elif type(node) is list:
            stack.extend(node)
    return False


def test_bulk_float_search_equals_the_walk() -> None:
    rnd = random.Random(23)
    outcomes = set()
    for _ in range(20_000):
        value = rnd.choice([_random_value(rnd), [_random_value(rnd) for _ in range(3)], [{"a": _random_value(rnd)}, {"b": 1}]])
        expected = _walk_has_float(value)
        assert jsonio.has_float(value) == expected, value
        outcomes.add(expected)
    assert outcomes == {True, False}


def test_bulk_key_order_check_equals_the_walk(corpus) -> None:  # type: ignore[no-untyped-def]
    rnd = random.Random(29)
    docs = [json.loads((folder / "annotations.json").read_text(encoding="utf-8")) for folder in sorted(corpus.iterdir())]
    outcomes = set()
    for n in range(5_000):
        value = _shuffled(copy.deepcopy(docs[n % len(docs)]), rnd)
        for _ in range(rnd.randint(0, 3)):  # graft random values (lists, odd keys, objects for scalars) anywhere
            layer = value[rnd.choice(schema.LAYERS)]  # type: ignore[index]
            if layer and type(item := rnd.choice(layer)) is dict:
                item[rnd.choice([*item, "extra"])] = _random_value(rnd)
            else:
                layer.append(_random_value(rnd))
        expected = _canonical_keys(value)
        assert validate.in_order(value, schema.ANNOTATIONS) == expected
        outcomes.add(expected)
    assert outcomes == {True, False}


def test_shown_paths_equal_display(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    work = tmp_path / "work"
    (work / "raw" / "doc").mkdir(parents=True)
    (tmp_path / "text.txt").mkdir()  # a working directory named like a corpus file
    cases = [work, work / "raw", work / "raw" / "doc", tmp_path, tmp_path / "elsewhere", Path("/"), Path("."), Path("raw/doc"), Path("..")]
    for cwd in (work, work / "raw" / "doc", tmp_path / "text.txt", Path("/")):
        monkeypatch.chdir(cwd)
        for folder in cases:
            origin, shown = validate.shown_paths(folder)
            assert origin == corpus.display(folder)
            assert shown == {name: corpus.display(folder / name) for name in corpus.FILES}
