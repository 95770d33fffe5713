"""The annotation linter: each rule finds its violation and stays silent on a clean case.

Fixtures are built in code as :class:`newsanno.model.Document` objects, with offsets found by
searching the text (never counted by hand), so these tests depend on neither the CLI nor raw/.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT, SEED_ID, DocBuilder, find

from newsanno import schema
from newsanno.problems import Problem
from newsanno.validate import lint, load_document
from newsanno.validate.lint import lint_document, quote_mark_pairs

SEED = ROOT / "raw" / SEED_ID
SHOWN = "raw/fixture/annotations.json"


def fixture(text: str) -> DocBuilder:
    """A document "fixture" (shown as SHOWN) whose annotations are added by searching its text."""
    return DocBuilder("fixture", text)


def codes(problems: list[Problem]) -> list[str]:
    return [p.code for p in problems]


# --- a NAM mention's text occurring elsewhere without a NAM mention ---------------------------


def test_unannotated_name_found_with_context_and_hint() -> None:
    f = fixture("Kyiv said no. Later, officials in Kyiv agreed.\n")
    f.entity("E1", "Kyiv", "GPE")
    f.mention("M1", "E1", "Kyiv")
    (p,) = f.lint()
    start, end = find(f.text, "Kyiv", 1)
    assert p.code == lint.UNANNOTATED_NAME
    assert p.severity == "warning"
    assert p.file == SHOWN
    assert p.pointer == "/mentions/-"
    assert "officials in >>Kyiv<< agreed" in p.message
    assert p.hint is not None and f"start={start} end={end}" in p.hint and "E1" in p.hint


def test_unannotated_name_silent_when_every_occurrence_is_annotated() -> None:
    f = fixture("Kyiv said no. Later, officials in Kyiv agreed.\n")
    f.entity("E1", "Kyiv", "GPE")
    f.mention("M1", "E1", "Kyiv")
    f.mention("M2", "E1", "Kyiv", nth=1)
    assert f.lint() == []


def test_unannotated_name_counts_occurrence_inside_another_name_as_covered() -> None:
    # "Post" inside "Washington Post" and "Ukraine" inside "BBC Ukraine" are covered by the longer name;
    # "Ukrainian" is a different word, not an occurrence of "Ukraine".
    f = fixture("The Washington Post said the Post was right. BBC Ukraine agreed that Ukraine and Ukrainian troops held.\n")
    f.entity("E1", "Washington Post", "ORG")
    f.entity("E2", "BBC Ukraine", "ORG")
    f.entity("E3", "Ukraine", "GPE")
    f.entity("E4", "Ukrainian", "NORP")
    f.mention("M1", "E1", "Washington Post")
    f.mention("M2", "E1", "Post", nth=1)
    f.mention("M3", "E2", "BBC Ukraine")
    f.mention("M4", "E3", "Ukraine", nth=1)
    f.mention("M5", "E4", "Ukrainian")
    assert f.lint() == []


def test_unannotated_name_ignores_nom_and_pro_mentions() -> None:
    f = fixture("The minister resigned. The minister left.\n")
    f.entity("E1", "The minister", "PERSON")
    f.mention("M1", "E1", "The minister", form="NOM")
    assert f.lint() == []


# --- the same string given different labels ----------------------------------------------------


def test_label_conflict_reports_the_minority_label() -> None:
    f = fixture("Jordan scored. Jordan signed a treaty. Jordan scored again.\n")
    f.entity("E1", "Jordan", "PERSON")
    f.entity("E2", "Jordan", "GPE")
    f.mention("M1", "E1", "Jordan")
    f.mention("M2", "E2", "Jordan", nth=1)
    f.mention("M3", "E1", "Jordan", nth=2)
    (p,) = f.lint()
    assert p.code == lint.LABEL_CONFLICT
    assert p.annotation_id == "M2"
    assert p.pointer == "/mentions/1/label"
    assert "GPE" in p.message and "PERSON" in p.message and ">>Jordan<< signed" in p.message


def test_label_conflict_silent_for_consistent_labels() -> None:
    f = fixture("Jordan scored. Jordan scored again.\n")
    f.entity("E1", "Jordan", "PERSON")
    f.mention("M1", "E1", "Jordan")
    f.mention("M2", "E1", "Jordan", nth=1)
    assert f.lint() == []


# --- an entity's canonical name among its mentions' texts ---------------------------------------


def test_canonical_name_not_among_mention_texts() -> None:
    f = fixture("Biden spoke. He left.\n")
    f.entity("E1", "Joe Biden", "PERSON")
    f.mention("M1", "E1", "Biden")
    f.mention("M2", "E1", "He", form="PRO")
    (p,) = f.lint()
    assert p.code == lint.CANONICAL_NAME
    assert p.annotation_id == "E1"
    assert p.pointer == "/entities/0/name"
    assert p.hint == "rename it to 'Biden'"


def test_canonical_name_reported_for_entity_without_mentions() -> None:
    f = fixture("Nothing here.\n")
    f.entity("E1", "Nobody", "PERSON")
    assert codes(f.lint()) == [lint.CANONICAL_NAME]


def test_canonical_name_silent_when_it_is_a_mention_text() -> None:
    f = fixture("Joe Biden spoke. Biden left.\n")
    f.entity("E1", "Joe Biden", "PERSON")
    f.mention("M1", "E1", "Joe Biden")
    f.mention("M2", "E1", "Biden", nth=1)
    assert f.lint() == []


# --- quotation marks not covered by a quote ----------------------------------------------------


@pytest.mark.parametrize("marked", ['the "savior" of', "to \u201cretake\u201d the"])
def test_uncovered_quotation_marks_found(marked: str) -> None:
    f = fixture(f"They called him {marked} the nation.\n")
    (p,) = f.lint()
    assert p.code == lint.UNQUOTED_MARKS
    assert p.pointer == "/quotes/-"
    inner = marked.split(" ")[1][1:-1]
    start, end = find(f.text, inner)
    assert p.hint is not None and f"start={start} end={end}" in p.hint


def test_scare_quote_covers_its_marks() -> None:
    f = fixture('They called him the "savior" of the nation.\n')
    f.quote("Q1", "savior", "scare")
    assert f.lint() == []


def test_mixed_quote_containing_the_marks_covers_them() -> None:
    f = fixture('Kim said that the people want "a reset." Then she left.\n')
    f.entity("E1", "Kim", "PERSON")
    f.mention("M1", "E1", "Kim")
    f.quote("Q1", 'the people want "a reset."', "mixed", "M1", "said")
    assert f.lint() == []


def test_apostrophes_are_not_quotation_marks() -> None:
    f = fixture("Ukraine\u2019s army and Kyiv's mayor said it's fine, isn\u2019t it.\n")
    f.entity("E1", "Ukraine", "GPE")
    f.entity("E2", "Kyiv", "GPE")
    f.mention("M1", "E1", "Ukraine")
    f.mention("M2", "E2", "Kyiv")
    assert f.lint() == []


def test_unpaired_quotation_mark_found() -> None:
    f = fixture("He said it was over\u201d and left.\n")
    (p,) = f.lint()
    assert p.code == lint.UNPAIRED_MARK


def test_quote_mark_pairs_restart_at_each_paragraph() -> None:
    text = '"One" and "two"\n\n\u201cthree\u201d then "open to the end\n'
    pairs, unpaired = quote_mark_pairs(text)
    opened = [text[a + 1 : b] for a, b in pairs]
    assert opened == ["One", "two", "three", "open to the end"]
    assert unpaired == []


# --- quotes: speaker of a direct quote, cue outside the content ------------------------------


def test_direct_quote_without_speaker_found() -> None:
    f = fixture('"We will win," a voice said.\n')
    f.quote("Q1", "We will win,", "direct", None, "said")
    (p,) = f.lint()
    assert p.code == lint.DIRECT_WITHOUT_SPEAKER
    assert p.annotation_id == "Q1"
    assert p.pointer == "/quotes/0/speaker_mention_id"


def test_direct_quote_with_unnamed_speaker_as_nom_is_clean() -> None:
    f = fixture('"We will win," one official said.\n')
    f.entity("E1", "one official", "PERSON")
    f.mention("M1", "E1", "one official", form="NOM")
    f.quote("Q1", "We will win,", "direct", "M1", "said")
    assert f.lint() == []


def test_scare_quote_needs_no_speaker() -> None:
    f = fixture('a "reset" of sorts.\n')
    f.quote("Q1", "reset", "scare")
    assert f.lint() == []


def test_cue_inside_content_found() -> None:
    f = fixture("Kim said the war is over.\n")
    f.entity("E1", "Kim", "PERSON")
    f.mention("M1", "E1", "Kim")
    f.quote("Q1", "said the war is over", "indirect", "M1", "said")
    (p,) = f.lint()
    assert p.code == lint.CUE_INSIDE_CONTENT
    assert p.annotation_id == "Q1"
    assert p.pointer == "/quotes/0/cue"
    assert p.hint is not None and "start=" in p.hint


def test_cue_outside_content_is_clean() -> None:
    f = fixture("Kim said the war is over.\n")
    f.entity("E1", "Kim", "PERSON")
    f.mention("M1", "E1", "Kim")
    f.quote("Q1", "the war is over", "indirect", "M1", "said")
    assert f.lint() == []


# --- claims: the claimant must be mentioned ----------------------------------------------------


def test_claimant_without_mention_found() -> None:
    f = fixture("Prices rose by 5 percent.\n")
    f.entity("E1", "Kim", "PERSON")
    f.claim("C1", "Prices rose by 5 percent", claimant_entity="E1")
    found = f.lint()
    assert lint.CLAIMANT_WITHOUT_MENTION in codes(found)
    (p,) = [p for p in found if p.code == lint.CLAIMANT_WITHOUT_MENTION]
    assert p.annotation_id == "C1"
    assert p.pointer == "/claims/0/claimant_entity_id"


def test_claim_by_mentioned_claimant_or_author_is_clean() -> None:
    f = fixture("Kim said prices rose. Wages fell.\n")
    f.entity("E1", "Kim", "PERSON")
    f.mention("M1", "E1", "Kim")
    f.claim("C1", "prices rose", claimant_entity="E1", claimant_mention="M1")
    f.claim("C2", "Wages fell")  # null claimant: the author
    assert f.lint() == []


# --- exceptions ---------------------------------------------------------------------------------


def _kyiv_twice() -> DocBuilder:
    f = fixture("Kyiv said no. Later, officials in Kyiv agreed.\n")
    f.entity("E1", "Kyiv", "GPE")
    f.mention("M1", "E1", "Kyiv")
    return f


def test_exception_by_span_silences_its_finding() -> None:
    f = _kyiv_twice()
    f.except_(lint.UNANNOTATED_NAME, "metonymy kept unannotated on purpose", span=find(f.text, "Kyiv", 1))
    assert f.lint() == []


def test_exception_by_annotation_id_silences_its_finding() -> None:
    f = fixture("Biden spoke.\n")
    f.entity("E1", "Joe Biden", "PERSON")
    f.mention("M1", "E1", "Biden")
    f.except_(lint.CANONICAL_NAME, "full name from the headline", annotation_id="E1")
    assert f.lint() == []


def test_exception_of_another_code_or_place_does_not_silence_and_is_stale() -> None:
    f = _kyiv_twice()
    f.except_(lint.LABEL_CONFLICT, "wrong code", span=find(f.text, "Kyiv", 1))
    f.except_(lint.UNANNOTATED_NAME, "wrong place", span=find(f.text, "Kyiv", 0))
    found = f.lint()
    assert sorted(codes(found)) == [lint.STALE_EXCEPTION, lint.STALE_EXCEPTION, lint.UNANNOTATED_NAME]
    stale = [p for p in found if p.code == lint.STALE_EXCEPTION]
    assert [p.pointer for p in stale] == ["/exceptions/0", "/exceptions/1"]
    assert "wrong code" in stale[0].message


def test_exceptions_key_is_optional_for_documents_built_in_code() -> None:
    f = _kyiv_twice()
    del f.ann["exceptions"]
    assert codes(f.lint()) == [lint.UNANNOTATED_NAME]


def test_exception_schema_requires_a_reason_and_a_location() -> None:
    validator = schema.validator(schema.ANNOTATIONS)
    base = {"document_id": "fixture", "entities": [], "mentions": [], "quotes": [], "claims": []}
    assert not validator.is_valid(base), "exceptions is required so canonical files always write it"
    good = {"code": lint.UNANNOTATED_NAME, "annotation_id": None, "start": 1, "end": 2, "reason": "why"}
    assert validator.is_valid({**base, "exceptions": [good]})
    assert not validator.is_valid({**base, "exceptions": [{**good, "reason": " "}]})
    assert not validator.is_valid({**base, "exceptions": [{**good, "start": None, "end": None}]})
    assert validator.is_valid({**base, "exceptions": [{**good, "start": None, "end": None, "annotation_id": "M1"}]})


def test_every_code_is_stable_and_namespaced() -> None:
    # The finding codes are lint's upper-case string constants valued "lint.<something>".
    names = [k for k, v in vars(lint).items() if k.isupper() and k != "LINT_PREFIX" and isinstance(v, str) and "." in v]
    codes = [getattr(lint, k) for k in names]
    assert len(codes) >= 9
    assert len(set(codes)) == len(codes)
    assert all(code.startswith("lint.") for code in codes)
    root = schema.load(schema.ANNOTATIONS)
    pattern = schema.resolve(root["properties"]["exceptions"], root)["items"]
    pattern = schema.resolve(pattern, root)["properties"]["code"]["pattern"]
    assert all(re.fullmatch(pattern, code) for code in codes), "an exception must be able to name every code"
    guidelines = (Path(__file__).resolve().parent.parent / "GUIDELINES.md").read_text(encoding="utf-8")
    assert all(f"`{code}`" in guidelines for code in codes), "every code is documented in GUIDELINES.md"


# --- the seed article ---------------------------------------------------------------------------


def test_seed_article_validates_and_lints_clean() -> None:
    doc, problems = load_document(SEED)
    assert doc is not None, problems
    assert problems == []
    assert lint_document(doc, "raw/wsws-2024-02-07-zelensky-purge/annotations.json") == []


def test_seed_names_align_with_spacy_tokens() -> None:
    # The ner config tags tokens; a name that cuts a token could not become a tag.
    spacy = pytest.importorskip("spacy")
    doc, _ = load_document(SEED)
    assert doc is not None
    tokens = spacy.blank("en")(doc.text)
    starts = {t.idx for t in tokens}
    ends = {t.idx + len(t) for t in tokens}
    bad = [m["id"] for m in doc.annotations["mentions"] if m["form"] == "NAM" and (m["start"] not in starts or m["end"] not in ends)]
    assert bad == []


def test_seed_uses_only_schema_labels() -> None:
    doc, _ = load_document(SEED)
    assert doc is not None
    ann = doc.annotations
    assert {m["label"] for m in ann["mentions"]} <= set(schema.ENTITY_TYPES)
    assert {q["kind"] for q in ann["quotes"]} == set(schema.QUOTE_KINDS), "the seed has every quote kind"
    assert {c["checkworthiness"] for c in ann["claims"]} == set(schema.CHECKWORTHINESS)
