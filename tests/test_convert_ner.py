"""Exports of the ner view: spaCy DocBin and CoNLL-2003-style BIO text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import spacy
from conftest import alpha, beta, write_document
from spacy.tokens import DocBin

from newsanno.convert import conll, spacy_docbin
from newsanno.rows import ner_rows
from newsanno.tokens import tokenize
from newsanno.validate import load_document


@pytest.fixture
def ner_docs(tmp_path: Path) -> list[tuple[Any, list[dict[str, Any]]]]:
    out = []
    for builder in (alpha(), beta()):
        doc, problems = load_document(write_document(tmp_path, builder, "train"))
        assert doc is not None and problems == []
        rows, problems = ner_rows(doc, tokenize(doc.text))
        assert problems == []
        out.append((doc, rows))
    return out


def names(doc: Any) -> list[tuple[str, str]]:
    """NAM mentions as (text, label) in text order, straight from the annotations."""
    mentions = sorted(doc.annotations["mentions"], key=lambda m: m["start"])
    return [(m["text"], m["label"]) for m in mentions if m["form"] == "NAM"]


def test_docbin_loads_with_the_project_entities(ner_docs: list[Any], tmp_path: Path) -> None:
    path = tmp_path / "train.spacy"
    path.write_bytes(spacy_docbin.docbin_bytes(rows for _, rows in ner_docs))
    nlp = spacy.blank("en")
    docs = list(DocBin().from_disk(path).get_docs(nlp.vocab))
    assert len(docs) == 2
    for (doc, rows), sdoc in zip(ner_docs, docs, strict=True):
        assert [(e.text, e.label_) for e in sdoc.ents] == names(doc)
        assert [t.text for t in sdoc] == [t for row in rows for t in row["tokens"]]
        assert len(list(sdoc.sents)) == len(rows)
        # Entity character offsets land on the same text as in the original document.
        for ent in sdoc.ents:
            assert ent.text in doc.text


def test_conll_text(ner_docs: list[Any]) -> None:
    text = conll.conll_text(rows for _, rows in ner_docs)
    blocks = text.split("-DOCSTART- O\n\n")
    assert blocks[0] == "" and len(blocks) == 3
    for (doc, rows), block in zip(ner_docs, blocks[1:], strict=True):
        sentences = block.rstrip("\n").split("\n\n")
        assert len(sentences) == len(rows)
        pairs = [line.split(" ") for s in sentences for line in s.split("\n")]
        # Rebuild the entities from the BIO lines and compare with the annotations.
        ents: list[tuple[list[str], str]] = []
        for token, tag in pairs:
            if tag.startswith("B-"):
                ents.append(([token], tag[2:]))
            elif tag.startswith("I-"):
                assert ents and ents[-1][1] == tag[2:]
                ents[-1][0].append(token)
        assert [label for _, label in ents] == [label for _, label in names(doc)]
        for (tokens, _), (name, _) in zip(ents, names(doc), strict=True):
            assert name.replace(" ", "") == "".join(tokens)


def test_spacy_train_accepts_the_docbin(ner_docs: list[Any], tmp_path: Path) -> None:
    """A real two-step ``spacy train`` of an NER pipeline on the exported file."""
    import subprocess
    import sys

    data = tmp_path / "train.spacy"
    data.write_bytes(spacy_docbin.docbin_bytes(rows for _, rows in ner_docs))
    cfg = tmp_path / "config.cfg"
    spacy_cli = [sys.executable, "-m", "spacy"]
    subprocess.run([*spacy_cli, "init", "config", "-l", "en", "-p", "ner", "-F", str(cfg)], check=True, capture_output=True, timeout=300)
    train = ["train", str(cfg), "--paths.train", str(data), "--paths.dev", str(data), "--training.max_steps", "2"]
    run = subprocess.run(
        [*spacy_cli, *train, "--training.eval_frequency", "1", "--output", str(tmp_path / "model")],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    labels = spacy.load(tmp_path / "model" / "model-last").get_pipe("ner").labels
    assert set(labels) == {label for doc, _ in ner_docs for _, label in names(doc)}
