"""The task-ready configs (``ner``, ``coref``, ``claim_sentences``, ``attribution``) read as their training code reads them.

Each config of the committed seed build is rebuilt, scored or decoded with the real library
(spaCy, ``datasets``) and compared with the span configs it is derived from; misaligned spans
are problems that name their file and annotation, never dropped rows.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from conftest import ROOT, SEED_ID, alpha, build, dump, run_cli, write_document

from newsanno import schema
from newsanno.rows import configs
from newsanno.tokens import tokenize
from newsanno.validate import load_document

DATASET = ROOT / "dataset"


def _rows(config: str) -> list[dict[str, Any]]:
    files = sorted((DATASET / "data" / config).glob("*.parquet"))
    assert files, config
    return [row for file in files for row in pq.read_table(file).to_pylist()]


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    return {row["document_id"]: row["text"] for row in _rows("documents")}


# --- ner ------------------------------------------------------------------------------------------


def test_ner_keeps_its_columns_in_order_and_appends_text_and_spaces() -> None:
    names = list(configs.spec("ner").features())
    assert names == ["document_id", "sentence_id", "tokens", "ner_tags", "token_starts", "token_ends", "text", "spaces"]
    assert pq.read_schema(next((DATASET / "data" / "ner").glob("*.parquet"))).names == names


def test_every_ner_sentence_rebuilds_as_a_spacy_doc_and_scores_with_examples(texts: dict[str, str]) -> None:
    import spacy
    from spacy.scorer import Scorer
    from spacy.tokens import Doc
    from spacy.training import Example, iob_to_biluo

    nlp = spacy.blank("en")
    names = configs.spec("ner").features()["ner_tags"].feature.names
    gold, empty = [], []
    rows = _rows("ner")
    for row in rows:
        assert row["text"] == texts[row["document_id"]][row["token_starts"][0] : row["token_ends"][-1]]
        doc = Doc(nlp.vocab, words=row["tokens"], spaces=row["spaces"])
        assert doc.text == row["text"], (row["document_id"], row["sentence_id"])
        assert row["spaces"][-1] is False and len(row["spaces"]) == len(row["tokens"])
        example = Example.from_dict(doc, {"entities": iob_to_biluo([names[t] for t in row["ner_tags"]])})
        empty.append(example)  # its predicted doc has no entities
        perfect = Example(example.reference.copy(), example.reference)
        gold.append(perfect)
    # One row per sentence of every document, in order, none dropped or repeated (counted from the texts, whatever raw/ holds).
    assert len(rows) == sum(len(tokenize(text).sentences) for text in texts.values())
    for doc_id in texts:
        assert sorted(r["sentence_id"] for r in rows if r["document_id"] == doc_id) == list(range(len(tokenize(texts[doc_id]).sentences)))
    assert Scorer.score_spans(gold, "ents")["ents_f"] == 1.0
    assert not Scorer.score_spans(empty, "ents")["ents_f"]
    # Entities read back through spaCy are the NAM mentions of the mentions config.
    want = Counter((m["text"], m["label"]) for m in _rows("mentions") if m["form"] == "NAM")
    got = Counter((ent.text, ent.label_) for example in gold for ent in example.reference.ents)
    assert got == want


# --- coref ----------------------------------------------------------------------------------------


def test_coref_clusters_recreate_every_mention_of_the_mentions_config(texts: dict[str, str]) -> None:
    mentions = {(m["document_id"], m["mention_id"]): m for m in _rows("mentions")}
    ner = {}
    for row in _rows("ner"):
        ner.setdefault(row["document_id"], []).append(row)
    seen = set()
    rows = _rows("coref")
    assert len(rows) == len(texts)
    for row in rows:
        doc_id = row["document_id"]
        sentences = sorted(ner[doc_id], key=lambda r: r["sentence_id"])
        assert row["sentences"] == [s["tokens"] for s in sentences]
        tokens = [t for s in row["sentences"] for t in s]
        spaces = [sp for s in sentences for sp in s["spaces"]]
        starts = [a for s in sentences for a in s["token_starts"]]
        lengths = {len(row[k]) for k in ("clusters", "cluster_mention_ids", "cluster_entity_ids", "cluster_names", "cluster_labels")}
        assert len(lengths) == 1
        firsts = []
        for spans, ids, entity, name, label in zip(
            row["clusters"], row["cluster_mention_ids"], row["cluster_entity_ids"], row["cluster_names"], row["cluster_labels"], strict=True
        ):
            assert spans == sorted(spans) and len(spans) == len(ids)
            firsts.append(spans[0])
            for (first, last), mention_id in zip(spans, ids, strict=True):
                m = mentions[doc_id, mention_id]
                # The tokens, joined by the spaces spaCy would put between them, are the mention's text.
                rebuilt = "".join(
                    t + (" " if sp and k < last else "") for k, (t, sp) in enumerate(zip(tokens, spaces, strict=True)) if first <= k <= last
                )
                assert rebuilt == m["text"], (mention_id, rebuilt)
                assert starts[first] == m["start"]
                assert (m["entity_id"], m["entity_name"], m["label"]) == (entity, name, label)
                seen.add((doc_id, mention_id))
        assert firsts == sorted(firsts)  # clusters in order of first mention
    assert seen == set(mentions)  # no mention dropped


# --- claim_sentences ------------------------------------------------------------------------------


def _load(config: str, cache: Path) -> Any:
    from datasets import load_dataset

    return load_dataset(str(DATASET), config, cache_dir=str(cache))


def test_claim_sentences_load_with_classlabels_from_the_schema_and_score_a_majority_baseline(tmp_path: Path) -> None:
    loaded = _load("claim_sentences", tmp_path)
    train = loaded["train"]
    names = train.features["label"].names
    assert names == list(schema.SENTENCE_CLASSES) == ["NFS", "UFS", "CFS"]
    claims: dict[str, list[dict[str, Any]]] = {}
    for c in _rows("claims"):
        claims.setdefault(c["document_id"], []).append(c)
    for row in train:
        held = [c for c in claims.get(row["document_id"], []) if c["start"] < row["end"] and c["end"] > row["start"]]
        assert row["claim_ids"] == [c["claim_id"] for c in held]
        assert row["claimant_names"] == [c["claimant_name"] for c in held]
        assert row["claimant_entity_ids"] == [c["claimant_entity_id"] for c in held]
        classes = {c["checkworthiness"] for c in held}
        want = "CFS" if "CFS" in classes else "UFS" if classes else "NFS"
        assert names[row["label"]] == want
    # A majority-class baseline, standard library only: the score is the majority's share. Measured on
    # the seed's rows, a fixed document, so that whatever else raw/ holds cannot change the figures.
    seed = [row for row in train if row["document_id"] == SEED_ID]
    counts = Counter(row["label"] for row in seed)
    majority, hits = counts.most_common(1)[0]
    accuracy = sum(row["label"] == majority for row in seed) / len(seed)
    assert accuracy == hits / len(seed) < 1.0
    # A bag-of-words scorer learnt on the same rows separates the classes better than the majority.
    words: dict[int, Counter[str]] = {label: Counter() for label in counts}
    for row in seed:
        words[row["label"]].update(row["text"].lower().split())

    def predict(text: str) -> int:
        return max(words, key=lambda label: sum(words[label][w] / sum(words[label].values()) for w in text.lower().split()))

    bow = sum(predict(row["text"]) == row["label"] for row in seed) / len(seed)
    assert bow > accuracy


def test_a_claim_spanning_two_sentences_counts_for_both(tmp_path: Path) -> None:
    b = alpha()
    b.claim("C3", "The council approved 12 new schools. According to the Springfield Tribune", None, "UFS")
    doc, problems = load_document(write_document(tmp_path / "raw", b, "train"))
    assert doc is not None and not problems, problems
    built, refused = configs.build_rows(doc, tokenize(doc.text))
    assert refused == []
    holding = [row for row in built["claim_sentences"] if "C3" in row["claim_ids"]]
    assert [row["sentence_id"] for row in holding] == [1, 2]
    names = schema.SENTENCE_CLASSES
    assert [names[row["label"]] for row in holding] == ["UFS", "UFS"]


# --- attribution ----------------------------------------------------------------------------------


def _decode(tags: list[str]) -> list[tuple[str, int, int]]:
    """BIO names -> (role, first, last); an I- continues the open role of the same name."""
    found: list[list[Any]] = []
    for k, tag in enumerate(tags):
        if tag == "O":
            continue
        prefix, role = tag.split("-", 1)
        if prefix == "B" or not found or found[-1][0] != role or found[-1][2] != k - 1:
            found.append([role, k, k])
        else:
            found[-1][2] = k
    return [tuple(f) for f in found]  # type: ignore[misc]


def test_attribution_tags_decode_to_the_quotes_of_the_quotes_config() -> None:
    names = configs.spec("attribution").features()["tags"].feature.feature.names
    assert names == list(schema.ATTRIBUTION_TAGS)
    speakers = {(r["document_id"], q["id"]): q["speaker_mention_id"] for r in _rows("documents") for q in r["quotes"]}
    mentions = {(m["document_id"], m["mention_id"]): m for m in _rows("mentions")}
    # Concatenate each quote's sequences over its sentences, in order, with the tokens' offsets.
    per_quote: dict[tuple[str, str], tuple[list[str], list[int], list[int]]] = {}
    opened_with_i = 0
    for row in sorted(_rows("attribution"), key=lambda r: (r["document_id"], r["sentence_id"])):
        assert len(row["quote_ids"]) == len(row["tags"]) == len(set(row["quote_ids"]))
        for quote_id, tags in zip(row["quote_ids"], row["tags"], strict=True):
            assert len(tags) == len(row["tokens"]) and any(t != 0 for t in tags)
            opened_with_i += names[tags[0]].startswith("I-")
            tag_names, starts, ends = per_quote.setdefault((row["document_id"], quote_id), ([], [], []))
            tag_names += [names[t] for t in tags]
            starts += row["token_starts"]
            ends += row["token_ends"]
    assert opened_with_i > 0  # the seed has quotes that run on into the next sentence
    quotes = _rows("quotes")
    assert set(per_quote) == {(q["document_id"], q["quote_id"]) for q in quotes}
    for q in quotes:
        tag_names, starts, ends = per_quote[q["document_id"], q["quote_id"]]
        got = sorted((role, starts[first], ends[last]) for role, first, last in _decode(tag_names))
        want = [("CONTENT", q["start"], q["end"])]
        if q["cue_start"] is not None:
            want.append(("CUE", q["cue_start"], q["cue_end"]))
        speaker = speakers[q["document_id"], q["quote_id"]]
        if speaker is not None:
            m = mentions[q["document_id"], speaker]
            want.append(("SOURCE", m["start"], m["end"]))
        assert got == sorted(want), q["quote_id"]


def test_nested_quotes_keep_one_tag_sequence_each() -> None:
    quotes = _rows("quotes")
    nested = {
        (a["document_id"], a["quote_id"], b["quote_id"])
        for a in quotes
        for b in quotes
        if a is not b and a["document_id"] == b["document_id"] and a["start"] <= b["start"] and b["end"] <= a["end"]
    }
    assert nested
    by_sentence = [set(zip([r["document_id"]] * len(r["quote_ids"]), r["quote_ids"], strict=True)) for r in _rows("attribution")]
    for doc_id, outer, inner in nested:
        assert any({(doc_id, outer), (doc_id, inner)} <= ids for ids in by_sentence)


# --- misaligned spans are reported, never dropped -------------------------------------------------


def _refused(tmp_path: Path, builder: Any) -> list[Any]:
    doc, problems = load_document(write_document(tmp_path / "raw", builder, "train"))
    assert doc is not None and not problems, problems
    tokens = tokenize(doc.text)
    built, refused = configs.build_rows(doc, tokens)
    assert built == {}  # the document is in no config
    assert configs.check_rows(doc, tokens) == refused
    return refused


def test_a_pronoun_inside_a_token_fails_the_build_for_coref(tmp_path: Path) -> None:
    b = alpha()
    she = next(m for m in b.mentions if m["id"] == "M7")
    she.update(end=she["start"] + 2, text="sh")
    [problem] = _refused(tmp_path, b)
    assert (problem.code, problem.annotation_id, problem.severity) == ("coref.misaligned", "M7", "error")
    assert problem.file.endswith("annotations.json") and "'sh'" in problem.message and "'she'" in problem.message


def test_a_cue_inside_a_token_fails_the_build_for_attribution(tmp_path: Path) -> None:
    b = alpha()
    quote = next(q for q in b.quotes if q["id"] == "Q1")
    quote["cue"] = {"start": quote["cue"]["start"], "end": quote["cue"]["end"] - 1, "text": "sai"}
    [problem] = _refused(tmp_path, b)
    assert (problem.code, problem.annotation_id) == ("attribution.misaligned", "Q1")
    assert "/quotes/0/cue" in str(problem.pointer)


def test_build_and_validate_name_the_misaligned_pronoun_in_one_line(corpus: Path, card: Path, tmp_path: Path) -> None:
    annotations = corpus / "alpha" / "annotations.json"
    data = json.loads(annotations.read_text(encoding="utf-8"))
    she = next(index for index, m in enumerate(data["mentions"]) if m["id"] == "M7")
    data["mentions"][she]["end"] -= 1
    data["mentions"][she]["text"] = "sh"
    annotations.write_text(dump(data), encoding="utf-8")
    line = f"[coref.misaligned] /mentions/{she} (M7): PRO mention 'sh' at"
    result = build(corpus, tmp_path / "out", card)
    assert result.returncode == 1 and line in result.stdout and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()
    checked = run_cli("validate", "--raw", corpus)
    assert checked.returncode == 1 and line in checked.stdout
