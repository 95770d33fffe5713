"""CPU ms per document of each step of ``newsanno validate`` (warm token cache), best of 7.

Run from a checkout: ``python benchmarks/validate_steps.py RAW CACHE_DIR [N]`` (first N documents,
default 200; the cache is filled by a first pass).  Prints one JSON object, step -> ms/doc.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from newsanno import corpus, jsonio, rows, schema, validate
from newsanno.builder.pipeline import process
from newsanno.tokencache import TokenCache
from newsanno.validate import load_document
from newsanno.validate.lint import lint_document

# The script also times checkouts from before ner_problems/has_float/in_order (for before/after runs),
# and from before newsanno.validate was split into a package (reading and parsing then lived in jsonio).
NEW = hasattr(rows, "ner_problems")
SPLIT = hasattr(validate, "parse_json_exact")
reader = validate if SPLIT else jsonio
parse_json_exact, decode_text, LIMITS = reader.parse_json_exact, reader.decode_text, reader.DEFAULT_LIMITS
in_order = validate.in_order if SPLIT else getattr(schema, "in_order", None)
sha256_hex = validate.sha256_hex if SPLIT else validate._sha256
folders = sorted(Path(sys.argv[1]).iterdir())[: int(sys.argv[3]) if len(sys.argv) > 3 else 200]
cache = TokenCache(Path(sys.argv[2]))
for f in folders:
    process(f, cache=cache)
docs = [load_document(f)[0] for f in folders]
toks = [cache.tokenize(d.text) for d in docs]
raws = [{n: (f / n).read_bytes() for n in corpus.FILES} for f in folders]
vals = [{n: parse_json_exact(r[n], n)[0] for n in (corpus.DOCUMENT, corpus.ANNOTATIONS)} for r in raws]
SCH = {corpus.DOCUMENT: schema.DOCUMENT, corpus.ANNOTATIONS: schema.ANNOTATIONS}


def best(fn, reps=7):
    ts = []
    for _ in range(reps):
        t = time.process_time()
        fn()
        ts.append(time.process_time() - t)
    return min(ts) / len(folders) * 1000


def read():
    for f in folders:
        for n in corpus.FILES:
            validate.read_bytes(f / n, LIMITS)


def parse():
    for r in raws:
        for n in SCH:
            parse_json_exact(r[n], n)
        decode_text(r[corpus.TEXT], "t")


def compiled():
    for v in vals:
        for n, s in SCH.items():
            schema.fast_validator(s).is_valid(v[n])


def scan():
    for v in vals:
        for n, s in SCH.items():
            if NEW:
                hf = jsonio.has_float(v[n])
                not hf and in_order(v[n], s)
            else:
                schema.scan(v[n], s)


def semantic():
    for d in docs:
        validate.annotation_problems(d.annotations, d.text, "a")
        validate.text_problems(d.text, "t")


def hashes():
    for r in raws:
        sha256_hex(r[corpus.TEXT])
        sha256_hex(r[corpus.SOURCE])


def tk():
    for d in docs:
        cache.tokenize(d.text)


def nerp():
    for d, t in zip(docs, toks, strict=False):
        (rows.ner_problems if NEW else rows.ner_rows)(d, t)


def li():
    for d in docs:
        lint_document(d, f"{d.origin}/{corpus.ANNOTATIONS}")


def ld():
    for f in folders:
        load_document(f)


def validate_doc():  # what validate needs per document: load + tokens + ner check + lint
    for f in folders:
        d, _ = load_document(f)
        t = cache.tokenize(d.text)
        (rows.ner_problems if NEW else rows.ner_rows)(d, t)
        lint_document(d, f"{d.origin}/{corpus.ANNOTATIONS}")


def pr():
    for f in folders:
        process(f, with_rows=False, cache=cache)


out = {}
for name, fn in [
    ("read (4 files)", read),
    ("parse (orjson exact x2, text decode)", parse),
    ("compiled schema (is_valid x2)", compiled),
    ("float+key-order scan x2", scan),
    ("sha256 x2", hashes),
    ("semantic rules (annotations+text)", semantic),
    ("tokens from cache", tk),
    ("ner check", nerp),
    ("lint", li),
    ("= load_document", ld),
    ("= validate path (load+tokens+ner_problems+lint)", validate_doc),
    ("= process(with_rows=False)", pr),
]:
    out[name] = best(fn)
print(json.dumps(out, indent=2))
