"""Time ``newsanno validate`` on one document with tens of thousands of annotations.

Run: python benchmarks/validate_many.py [N]   (default N = 30000 mentions)
"""

from __future__ import annotations

import hashlib
import json
import sys
import tempfile
import time
from pathlib import Path

from newsanno.builder.pipeline import process


def make(root: Path, n: int) -> Path:
    """A document whose text repeats one sentence, with one entity and n mentions of it."""
    sentence = "Maria Lopez spoke. "
    # Paragraphs of 1,000 sentences: spaCy refuses a single text over 1,000,000 characters.
    per = 1000
    paragraphs = [sentence * min(per, n - i) for i in range(0, n, per)]
    text = "\n\n".join(p.rstrip(" ") for p in paragraphs) + "\n"
    starts = [p * (len(sentence) * per + 1) + j * len(sentence) for p in range(len(paragraphs)) for j in range(per)][:n]
    folder = root / "many"
    folder.mkdir(parents=True)
    # A source the wsws profile reads (headline, author, date, body): validate re-derives the text from it.
    source = f"Many\n\nBench Reporter\n1 January 2024\n\n{text}"
    (folder / "source.txt").write_text(source, encoding="utf-8")
    (folder / "text.txt").write_text(text, encoding="utf-8")
    digest = hashlib.sha256(text.encode()).hexdigest()
    meta = {
        "id": "many",
        "title": "Many",
        "author": "Bench Reporter",
        "published": "2024-01-01",
        "publisher": "Bench",
        "language": "en",
        "source_url": None,
        "split": "train",
        "source_sha256": hashlib.sha256(source.encode()).hexdigest(),
        "text_sha256": digest,
        "rights": {"text": "CC0-1.0", "annotations": "CC0-1.0"},
    }
    mentions = [
        {
            "id": f"M{i}",
            "entity_id": "E1",
            "start": starts[i],
            "end": starts[i] + 11,
            "text": "Maria Lopez",
            "label": "PERSON",
            "form": "NAM",
        }
        for i in range(n)
    ]
    assert all(text[m["start"] : m["end"]] == "Maria Lopez" for m in mentions)
    ann = {
        "document_id": "many",
        "entities": [{"id": "E1", "name": "Maria Lopez", "type": "PERSON", "wikidata": None}],
        "mentions": mentions,
        "quotes": [],
        "claims": [],
        "exceptions": [],
    }
    (folder / "document.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    (folder / "annotations.json").write_text(json.dumps(ann, indent=2) + "\n", encoding="utf-8")
    return folder


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 30_000
    with tempfile.TemporaryDirectory() as tmp:
        folder = make(Path(tmp), n)
        size = (folder / "annotations.json").stat().st_size
        t0 = time.perf_counter()
        result = process(folder, with_rows=False)
        t1 = time.perf_counter()
        errors = [p for p in result.problems if p.severity == "error"]
        print(
            f"{n} mentions, annotations.json {size} bytes: validate {t1 - t0:.2f} s, {len(errors)} errors {[e.message[:120] for e in errors]}"
        )
        # The slow path: every span wrong, so every problem is located by line and column.
        ann = json.loads((folder / "annotations.json").read_text())
        for m in ann["mentions"]:
            m["start"] += 1
            m["end"] += 1
        (folder / "annotations.json").write_text(json.dumps(ann, indent=2) + "\n", encoding="utf-8")
        t0 = time.perf_counter()
        result = process(folder, with_rows=False)
        t1 = time.perf_counter()
        print(f"same file with every offset shifted by one: validate {t1 - t0:.2f} s, {len(result.problems)} problems")


if __name__ == "__main__":
    main()
