"""A seeded synthetic corpus in the real ``raw/`` layout, for benchmarks and scale tests.

``python benchmarks/synth.py N OUT`` writes N documents of realistic shape: about 6,000
characters of English-like text in paragraphs, about 150 mentions (names, nominals and
pronouns in coreference chains), 15 direct quotes with speaker and cue, and 30 claims.
Every document is valid against the schema and the semantic rules, and every NAM
mention is a run of whole spaCy tokens inside one sentence (names are plain
capitalised words between spaces).  The same N and seed always give the same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsanno import schema  # noqa: E402
from newsanno.jsonio import canonical_dumps  # noqa: E402

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")
TARGET_CHARS = 6000
QUOTES = 15
CLAIMS = 30
SPLIT_WEIGHTS = (("train", 8), ("validation", 1), ("test", 1))

SYLLABLES = [
    "ka",
    "ro",
    "mi",
    "te",
    "sa",
    "lo",
    "vin",
    "dor",
    "bel",
    "tar",
    "nes",
    "qua",
    "ril",
    "mon",
    "dax",
    "fen",
    "gor",
    "hal",
    "is",
    "ur",
    "ben",
    "cas",
]
VERBS = ["announced", "approved", "rejected", "reviewed", "expanded", "criticised", "funded", "delayed", "praised", "questioned"]
NOUNS = ["budget", "plan", "report", "contract", "proposal", "project", "agreement", "policy", "programme", "investigation"]
ADJS = ["new", "annual", "revised", "regional", "public", "private", "national", "local", "controversial", "long-awaited"]
FILLER = ["after", "months", "of", "debate", "among", "residents", "and", "officials", "who", "had", "followed", "the", "matter", "closely"]
CLAUSES = [
    # No pronoun and no entity-type noun ("the council"): scheme 2.0 would want each one annotated.
    "every promise made will be delivered",
    "the figures are clear",
    "nobody was consulted before the decision",
    "this is the largest investment in a decade",
    "the decision was within the rules",
    "members deserve a fair settlement",
]
NOMINALS = {"PERSON": "the official", "ORG": "the company", "GPE": "the region"}
PRONOUNS = {"PERSON": "She", "ORG": "It", "GPE": "It"}


def _name(rng: random.Random, words: int) -> str:
    return " ".join("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize() for _ in range(words))


class _Doc:
    """Text assembled piece by piece, with every span recorded where it is appended."""

    def __init__(self, doc_id: str, rng: random.Random) -> None:
        self.id, self.rng = doc_id, rng
        self.text = ""
        self.entities: list[dict[str, Any]] = []
        self.mentions: list[dict[str, Any]] = []
        self.quotes: list[dict[str, Any]] = []
        self.claims: list[dict[str, Any]] = []

    def put(self, piece: str) -> dict[str, Any]:
        start = len(self.text)
        self.text += piece
        return {"start": start, "end": len(self.text), "text": piece}

    def mention(self, entity: dict[str, Any], surface: str, form: str) -> dict[str, Any]:
        mention = {
            "id": f"m{len(self.mentions) + 1}",
            "entity_id": entity["id"],
            **self.put(surface),
            "label": entity["type"],
            "form": form,
        }
        self.mentions.append(mention)
        return mention

    def plain_sentence(self, subject: dict[str, Any], place: dict[str, Any], pronoun: bool) -> dict[str, Any]:
        rng = self.rng
        start = len(self.text)
        if pronoun:
            self.mention(subject, PRONOUNS[subject["type"]], "PRO")
        else:
            self.mention(subject, subject["name"], "NAM")
        self.put(f" {rng.choice(VERBS)} the {rng.choice(ADJS)} {rng.choice(NOUNS)} for ")
        self.mention(place, place["name"], "NAM")
        self.put(" " + " ".join(FILLER[: rng.randint(2, 7)]))
        if rng.random() < 0.35:
            self.put(", according to ")
            self.mention(place, NOMINALS[place["type"]], "NOM")
        self.put(".")
        return {"start": start, "end": len(self.text), "text": self.text[start:]}

    def quote_sentence(self, speaker: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        said = self.mention(speaker, speaker["name"], "NAM")
        self.put(" ")
        cue = self.put("said")
        self.put(", ")
        quoted = self.put(f'"{self.rng.choice(CLAUSES).capitalize()}."')
        quote = {
            "id": f"q{len(self.quotes) + 1}",
            **quoted,
            "kind": "direct",
            "speaker_mention_id": said["id"],
            "speaker_entity_id": speaker["id"],
            "cue": cue,
        }
        self.quotes.append(quote)
        return quote, said


def make_document(doc_id: str, seed: int) -> tuple[str, dict[str, Any]]:
    """The canonical text and annotations of one synthetic document."""
    rng = random.Random(seed)
    doc = _Doc(doc_id, rng)
    kinds = ["PERSON"] * 8 + ["ORG"] * 6 + ["GPE"] * 6
    names: set[str] = set()
    for i, kind in enumerate(kinds):
        name = _name(rng, 2 if kind == "PERSON" else rng.randint(1, 2))
        while name in names:
            name = _name(rng, 2)
        names.add(name)
        doc.entities.append({"id": f"e{i + 1}", "name": name, "type": kind, "wikidata": None})
    people = [e for e in doc.entities if e["type"] == "PERSON"]
    others = [e for e in doc.entities if e["type"] != "PERSON"]
    # Where the quotes go: spread evenly over the ~70 sentences of a document.
    sentence, last = 0, people[0]
    author_claims = CLAIMS - QUOTES
    while len(doc.text) < TARGET_CHARS or len(doc.quotes) < QUOTES:
        if sentence and sentence % 4 == 0:
            doc.put("\n\n")
        elif sentence:
            doc.put(" ")
        if sentence % 5 == 2 and len(doc.quotes) < QUOTES:
            last = rng.choice(people)
            quote, said = doc.quote_sentence(last)
            inner = {"start": quote["start"] + 1, "end": quote["end"] - 2, "text": quote["text"][1:-2]}
            doc.claims.append(
                {
                    "id": f"c{len(doc.claims) + 1}",
                    **inner,
                    "claimant_entity_id": last["id"],
                    "claimant_mention_id": said["id"],
                    "checkworthiness": rng.choice(("CFS", "UFS")),
                    "quote_id": quote["id"],
                }
            )
        else:
            pronoun = sentence % 5 == 3  # right after a quote: the speaker again, as a pronoun
            subject = last if pronoun else rng.choice(doc.entities)
            span = doc.plain_sentence(subject, rng.choice(others), pronoun)
            if author_claims and sentence % 2 == 0:
                author_claims -= 1
                doc.claims.append(
                    {
                        "id": f"c{len(doc.claims) + 1}",
                        **span,
                        "claimant_entity_id": None,
                        "claimant_mention_id": None,
                        "checkworthiness": rng.choice(("CFS", "UFS")),
                        "quote_id": None,
                    }
                )
        sentence += 1
    doc.put("\n")
    annotations = {
        "document_id": doc_id,
        "entities": doc.entities,
        "mentions": doc.mentions,
        "quotes": doc.quotes,
        "claims": doc.claims,
        "exceptions": [],
    }
    return doc.text, annotations


def _split(rng: random.Random) -> str:
    names, weights = zip(*SPLIT_WEIGHTS, strict=True)
    return rng.choices(names, weights)[0]


def write_corpus(root: Path, n: int, seed: int = 0) -> list[Path]:
    """Write ``n`` documents under ``root`` (created); return their folders in id order."""
    root.mkdir(parents=True, exist_ok=True)
    folders = []
    for i in range(n):
        doc_id = f"synth-{i:07d}"
        doc_seed = seed * 1_000_003 + i
        text, annotations = make_document(doc_id, doc_seed)
        title = f"Synthetic article {i}"
        month, day = 1 + i % 12, 1 + i % 28
        # The source's date line says what document.json's published says: validate re-derives it.
        source = f"\n{title}\n\nSynth Reporter\n{day} {MONTHS[month - 1]} 2024\n\n{text}".encode()
        meta = {
            "id": doc_id,
            "title": title,
            "author": "Synth Reporter",
            "published": f"2024-{month:02d}-{day:02d}",
            "publisher": "Synthetic Gazette",
            "language": "en",
            "source_url": None,
            "split": _split(random.Random(doc_seed)),
            "source_sha256": hashlib.sha256(source).hexdigest(),
            "text_sha256": hashlib.sha256(text.encode()).hexdigest(),
            "rights": {"text": "CC0-1.0", "annotations": "CC0-1.0"},
        }
        folder = root / doc_id
        folder.mkdir(exist_ok=True)
        (folder / "source.txt").write_bytes(source)
        (folder / "text.txt").write_bytes(text.encode())
        (folder / "document.json").write_text(canonical_dumps(meta, schema.DOCUMENT), encoding="utf-8")
        (folder / "annotations.json").write_text(canonical_dumps(annotations, schema.ANNOTATIONS), encoding="utf-8")
        folders.append(folder)
    return folders


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("n", type=int, help="number of documents")
    p.add_argument("out", type=Path, help="raw corpus folder to write")
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args()
    write_corpus(args.out, args.n, args.seed)


if __name__ == "__main__":
    main()
