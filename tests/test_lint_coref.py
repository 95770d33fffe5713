"""The scheme 2.0 lint rules: a pronoun in no mention, an entity made only of pronouns, a nominal
headed by an entity-type noun that is in no mention or not linked. Each fires on a crafted
fixture, is silent once the annotation is fixed, and is silenced by an exception."""

from __future__ import annotations

import json

from conftest import DocBuilder, find

from newsanno import schema
from newsanno.validate import lint


def codes(b: DocBuilder) -> list[str]:
    return [p.code for p in b.lint()]


PRONOUN_TEXT = "Maria Lopez arrived late. She said the US would wait for her.\n"


def _pronouns() -> DocBuilder:
    b = DocBuilder("fixture", PRONOUN_TEXT)
    b.entity("E1", "Maria Lopez", "PERSON")
    b.entity("E2", "US", "GPE")
    b.mention("M1", "E1", "Maria Lopez")
    b.mention("M2", "E2", "US")
    b.mention("M3", "E1", "She", form="PRO")
    return b


def test_a_pronoun_in_no_mention_is_found_with_its_span() -> None:
    b = _pronouns()
    (p,) = b.lint()
    start, end = find(b.text, "her")
    assert p.code == lint.UNANNOTATED_PRONOUN and p.pointer == "/mentions/-" and p.severity == "warning"
    assert "for >>her<<." in p.message and f"start={start} end={end}" in (p.hint or "")


def test_the_pronoun_rule_is_silent_when_fixed_and_never_reads_US_as_us() -> None:
    b = _pronouns()
    b.mention("M4", "E1", "her", form="PRO")
    assert b.lint() == []


def test_a_pronoun_exception_silences_it() -> None:
    b = _pronouns()
    b.except_(lint.UNANNOTATED_PRONOUN, "reviewed: generic", span=find(b.text, "her"))
    assert b.lint() == []


ONLY_TEXT = "They met at noon. They agreed.\n"


def _only_pronouns() -> DocBuilder:
    b = DocBuilder("fixture", ONLY_TEXT)
    b.entity("E1", "They", "PERSON")
    b.mention("M1", "E1", "They", form="PRO")
    b.mention("M2", "E1", "They", form="PRO", nth=1)
    return b


def test_an_entity_made_only_of_pronouns_is_found() -> None:
    (p,) = _only_pronouns().lint()
    assert p.code == lint.PRONOUN_ONLY_ENTITY and p.annotation_id == "E1" and p.pointer == "/entities/0"


def test_an_entity_with_a_nominal_is_not_made_only_of_pronouns() -> None:
    b = DocBuilder("fixture", "The two ministers met at noon. They agreed.\n")
    b.entity("E1", "The two ministers", "PERSON")
    b.mention("M1", "E1", "The two ministers", form="NOM")
    b.mention("M2", "E1", "They", form="PRO")
    assert b.lint() == []


def test_a_pronoun_only_exception_silences_it() -> None:
    b = _only_pronouns()
    b.except_(lint.PRONOUN_ONLY_ENTITY, "reviewed: the text names them nowhere", annotation_id="E1")
    assert b.lint() == []


NOMINAL_TEXT = "Springfield voted on Monday. The city will build a new school, the mayor said.\n"


def _nominals() -> DocBuilder:
    b = DocBuilder("fixture", NOMINAL_TEXT)
    b.entity("E1", "Springfield", "GPE")
    b.entity("E2", "Monday", "DATE")
    b.entity("E3", "the mayor", "PERSON")
    b.mention("M1", "E1", "Springfield")
    b.mention("M2", "E2", "Monday")
    b.mention("M3", "E3", "the mayor", form="NOM")
    return b


def test_a_nominal_in_no_mention_is_found_with_its_candidate_antecedent() -> None:
    b = _nominals()
    found = [p for p in b.lint() if "city" in p.message]
    assert [p.code for p in found] == [lint.UNLINKED_NOMINAL]
    assert found[0].pointer == "/mentions/-" and "'Springfield'" in (found[0].hint or "") and "E1" in (found[0].hint or "")


def test_a_nominal_that_is_its_own_singleton_is_reported_as_not_linked() -> None:
    b = _nominals()
    b.entity("E4", "The city", "GPE")
    b.mention("M4", "E4", "The city", form="NOM")
    problems = [p for p in b.lint() if p.annotation_id == "M4"]
    assert [p.code for p in problems] == [lint.UNLINKED_NOMINAL] and problems[0].pointer == "/mentions/3/entity_id"


def test_the_nominal_rule_is_silent_once_linked() -> None:
    b = _nominals()
    b.mention("M4", "E1", "The city", form="NOM")
    # "the mayor" is a singleton too, but no PERSON is mentioned before it: nothing to link it to.
    assert b.lint() == []


def test_the_nominal_rule_leaves_titles_before_a_name_and_indefinites_alone() -> None:
    b = DocBuilder("fixture", "Maria Lopez spoke. Later the embedded journalist Yuroy Butusov wrote to a minister.\n")
    b.entity("E1", "Maria Lopez", "PERSON")
    b.entity("E2", "Yuroy Butusov", "PERSON")
    b.mention("M1", "E1", "Maria Lopez")
    b.mention("M2", "E2", "Yuroy Butusov")
    assert b.lint() == []


def test_a_nominal_exception_silences_it() -> None:
    b = _nominals()
    b.except_(lint.UNLINKED_NOMINAL, "reviewed: a different city", span=find(b.text, "city"))
    assert b.lint() == []


def test_the_word_lists_are_data_keyed_by_full_coverage_types() -> None:
    words = json.loads((schema.schema_dir() / "mention_words.json").read_text(encoding="utf-8"))
    assert set(words["head_nouns"]) == set(schema.FULL_COVERAGE_TYPES)
    assert {"he", "his", "they", "their", "I", "you", "it", "its"} <= set(words["personal_pronouns"])
    nouns = [n for ns in words["head_nouns"].values() for n in ns]
    assert len(nouns) == len(set(nouns)) and all(n == n.lower() for n in nouns)
