"""newsanno suggest keeps its promises (issues 18 part 5, 19 part 5): scheme 2.0 pronoun and nominal
suggestions with a guessed entity, speaker guesses, values with their units, fractions, continuation
quotes, recall/precision per kind, and suggestions.json kept out of git.  Fixture texts only."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

from conftest import ROOT, DocBuilder, run_cli, write_document

from newsanno.contribute import accept, coref_guess, suggest
from newsanno.model import Annotations
from newsanno.validate.lint import mention_words

PEOPLE = (
    "John Smith met Maria Lopez in Springfield on March 10. She thanked him. The city welcomed the plan.\n\n"
    "Acme Corp said it would pay $26 million. The company owns the bridge. It is likely that prices rise.\n\n"
    "The officials said they agreed. The mayor spoke.\n"
)


def knows(*names: tuple[str, str]) -> dict[str, suggest.Name]:
    """Knowledge of the given (name, type) pairs, as if annotated elsewhere in the corpus."""
    entities = [{"id": f"E{i}", "name": n, "type": t, "wikidata": None} for i, (n, t) in enumerate(names, 1)]
    return suggest.knowledge([{"entities": entities, "mentions": []}])  # type: ignore[list-item]


def at(sugg: dict[str, Any], text: str, needle: str, nth: int = 0) -> dict[str, Any]:
    """The suggested mention with exactly the span of the nth occurrence of ``needle``."""
    start = [m.start() for m in re.finditer(rf"(?<!\w){re.escape(needle)}(?!\w)", text)][nth]
    return next(m for m in sugg["mentions"] if (m["start"], m["end"]) == (start, start + len(needle)))


def entity_name(sugg: dict[str, Any], mention: dict[str, Any]) -> str:
    return str(next(e["name"] for e in sugg["entities"] if e["id"] == mention["entity_id"]))


def test_every_pronoun_has_features_for_its_antecedent_search() -> None:
    for pronoun in mention_words()["personal_pronouns"]:  # type: ignore[union-attr]
        person, number, gender = coref_guess.features(pronoun)
        assert person in "123" and number in ("sg", "pl", "") and gender in ("m", "f", "n", "")


def test_pronouns_and_nominals_get_the_nearest_compatible_antecedent() -> None:
    names = knows(("John Smith", "PERSON"), ("Maria Lopez", "PERSON"), ("Springfield", "GPE"), ("Acme Corp", "ORG"))
    sugg = suggest.suggest("d", PEOPLE, names)
    assert accept.problems(sugg, PEOPLE, "d", "suggestions.json") == []
    expected = {
        # (needle, nth): (form, label, entity)
        ("She", 0): ("PRO", "PERSON", "Maria Lopez"),  # the nearest singular PERSON
        ("him", 0): ("PRO", "PERSON", "John Smith"),  # Maria Lopez is 'she' now: gender agreement skips her
        ("The city", 0): ("NOM", "GPE", "Springfield"),  # the head's type
        ("it", 0): ("PRO", "ORG", "Acme Corp"),
        ("The company", 0): ("NOM", "ORG", "Acme Corp"),
        ("the bridge", 0): ("NOM", "FAC", "the bridge"),
        ("The officials", 0): ("NOM", "PERSON", "The officials"),  # no plural PERSON before it: an entity of its own
        ("they", 0): ("PRO", "PERSON", "The officials"),  # plural: the plural nominal, not the ORG further back
        ("The mayor", 0): ("NOM", "PERSON", "John Smith"),  # the nearest singular PERSON ('him'): number skips the officials
    }
    for (needle, nth), (form, label, name) in expected.items():
        m = at(sugg, PEOPLE, needle, nth)
        assert (m["form"], m["label"], entity_name(sugg, m)) == (form, label, name), needle
        assert sugg["reasons"][m["id"]]["source"] == "coref"
    # Pleonastic 'It is likely that' is no mention; nothing else was suggested as PRO/NOM.
    coref = {m["text"] for m in sugg["mentions"] if m["form"] != "NAM"}
    assert coref == {needle for needle, _ in expected}
    assert not any(m["text"] == "It" for m in sugg["mentions"])


def test_first_person_in_a_quote_is_its_speaker() -> None:
    text = "Maria Lopez visited the plant. \"I am proud of it, I'm sure it's likely to grow,\" she said.\n"
    sugg = suggest.suggest("d", text, knows(("Maria Lopez", "PERSON")))
    # A contraction holds its pronoun ("I'm"); a pleonastic "it's likely to" is none.
    assert [m["text"] for m in sugg["mentions"] if m["form"] == "PRO"] == ["it", "she", "I", "I"]
    assert entity_name(sugg, at(sugg, text, "I", 1)) == "Maria Lopez"
    assert entity_name(sugg, at(sugg, text, "I")) == "Maria Lopez" and at(sugg, text, "I")["form"] == "PRO"
    assert entity_name(sugg, at(sugg, text, "it")) == "the plant"


def test_speaker_guess_is_the_name_nominal_or_pronoun_nearest_the_cue() -> None:
    text = (
        'Maria Lopez met Ann Brown of Acme Corp. "We will win," she said.\n\n'
        'Later, "prices will fall," the company announced in Springfield.\n\n'
        '"No comment," Ann Brown told reporters.\n'
    )
    sugg = suggest.suggest(
        "d", text, knows(("Maria Lopez", "PERSON"), ("Ann Brown", "PERSON"), ("Acme Corp", "ORG"), ("Springfield", "GPE"))
    )
    by_id = {m["id"]: m for m in sugg["mentions"]}
    guesses = {q["text"]: (by_id[q["speaker_mention_id"]]["text"], q["cue"]["text"]) for q in sugg["quotes"]}
    assert guesses == {
        "We will win,": ("she", "said"),
        "prices will fall,": ("the company", "announced"),
        "No comment,": ("Ann Brown", "told"),
    }
    for q in sugg["quotes"]:
        assert q["speaker_entity_id"] == by_id[q["speaker_mention_id"]]["entity_id"]
    # 'she' is Ann Brown (the nearest singular PERSON), and so the quote's speaker entity is hers.
    assert entity_name(sugg, at(sugg, text, "she")) == "Ann Brown"


def test_values_with_their_units_are_one_mention_and_fractions_are_not_ordinal() -> None:
    text = (
        "On March 10, 2024 the council paid $26 million, then NZ $ 26 million on 10 March. "
        "A third of the 800 km road and two-thirds of the 15 meter bridge; a third term, the first time.\n"
    )
    found = {(t, label) for _, t, label in suggest.pattern_matches(text, [])}
    for expected in (
        ("March 10, 2024", "DATE"),
        ("$26 million", "MONEY"),
        ("NZ $ 26 million", "MONEY"),
        ("10 March", "DATE"),
        ("A third", "CARDINAL"),
        ("800 km", "QUANTITY"),
        ("two-thirds", "CARDINAL"),
        ("15 meter", "QUANTITY"),
        ("third", "ORDINAL"),  # 'a third term': an ordinal, not a fraction
        ("first", "ORDINAL"),
    ):
        assert expected in found, (expected, sorted(found))
    # No piece of a value is a mention of its own.
    assert not {t for t, _ in found} & {"March", "10", "26", "$26", "2024", "800", "15"}
    assert ("A third", "ORDINAL") not in found and ("third", "ORDINAL") in found
    assert sum(label == "ORDINAL" for _, label in found) == 2


def test_a_quoted_passage_without_a_cue_after_a_quote_continues_it() -> None:
    text = 'Maria Lopez spoke first. "We will rebuild," she said.\n\n"Nothing else matters."\n\nPrices rose.\n\n"Stray words."\n'
    sugg = suggest.suggest("d", text, knows(("Maria Lopez", "PERSON")))
    quotes = {q["text"]: q for q in sugg["quotes"]}
    assert set(quotes) == {"We will rebuild,", "Nothing else matters."}, "a cue-less quote after a paragraph without one is none"
    first, continued = quotes["We will rebuild,"], quotes["Nothing else matters."]
    assert continued["speaker_mention_id"] == first["speaker_mention_id"] is not None
    assert continued["cue"] == first["cue"] and continued["kind"] == "direct"
    assert "no cue of its own" in sugg["reasons"][continued["id"]]["reason"]


def test_suggest_render_and_accept_a_pronoun_that_joins_the_existing_entity(tmp_path: Path) -> None:
    text = 'Maria Lopez visited Springfield. "We will win," she said. The city cheered.\n'
    builder = DocBuilder("pro", text)
    builder.entity("E1", "Maria Lopez", "PERSON")
    builder.mention("M1", "E1", "Maria Lopez")
    builder.entity("E2", "Springfield", "GPE")
    builder.mention("M2", "E2", "Springfield")
    raw = tmp_path / "raw"
    folder = write_document(raw, builder, "train")
    assert run_cli("suggest", "--raw", raw, "pro").returncode == 0
    sugg = json.loads((folder / "suggestions.json").read_text(encoding="utf-8"))
    she, city = at(sugg, text, "she"), at(sugg, text, "The city")
    assert (entity_name(sugg, she), entity_name(sugg, city)) == ("Maria Lopez", "Springfield")
    quote = sugg["quotes"][0]
    assert quote["speaker_mention_id"] == she["id"]

    out = tmp_path / "pages"
    assert run_cli("render", "--raw", raw, "--out", out, "--suggestions", "pro").returncode == 0
    page = (out / "pro.html").read_text(encoding="utf-8")
    assert f'data-suggestion="{she["id"]}"' in page and "PERSON PRO of &#x27;Maria Lopez&#x27;" in page

    assert run_cli("accept", "--raw", raw, "pro", she["id"], city["id"], quote["id"]).returncode == 0
    gold = json.loads((folder / "annotations.json").read_text(encoding="utf-8"))
    assert [e["id"] for e in gold["entities"]] == ["E1", "E2"], "a suggestion linked to a document entity joins it"
    added = {m["text"]: m for m in gold["mentions"]}
    assert (added["she"]["entity_id"], added["she"]["form"]) == ("E1", "PRO")
    assert (added["The city"]["entity_id"], added["The city"]["form"]) == ("E2", "NOM")
    assert gold["quotes"][0]["speaker_mention_id"] == added["she"]["id"] and gold["quotes"][0]["speaker_entity_id"] == "E1"
    assert run_cli("validate", "--raw", raw, folder).returncode == 0


def test_accept_keeps_a_speaker_that_is_already_gold(tmp_path: Path) -> None:
    text = '"We will win," Maria Lopez said.\n'
    gold: Annotations = {  # type: ignore[typeddict-item]
        "document_id": "g",
        "entities": [{"id": "E1", "name": "Maria Lopez", "type": "PERSON", "wikidata": None}],
        "mentions": [{"id": "M1", "entity_id": "E1", "start": 15, "end": 26, "text": "Maria Lopez", "label": "PERSON", "form": "NAM"}],
        "quotes": [],
        "claims": [],
    }
    sugg = suggest.suggest("g", text, {}, gold)
    quote = sugg["quotes"][0]
    assert (quote["speaker_mention_id"], quote["speaker_entity_id"]) == ("M1", "E1")
    merged, _left, taken, already = accept.accept(dict(gold), sugg, [quote["id"]])
    assert taken == [quote["id"]] and already == [] and merged["mentions"] == gold["mentions"]
    assert (merged["quotes"][0]["speaker_mention_id"], merged["quotes"][0]["speaker_entity_id"]) == ("M1", "E1")


def _doc(raw: Path, doc_id: str, text: str, split: str) -> None:
    b = DocBuilder(doc_id, text)
    b.entity("E1", "Maria Lopez", "PERSON")
    b.mention("M1", "E1", "Maria Lopez")
    b.mention("M2", "E1", "She", form="PRO")
    b.entity("E2", "Acme Corp", "ORG")
    b.mention("M3", "E2", "Acme Corp")
    b.mention("M4", "E2", "the company", form="NOM")
    b.entity("E3", "10 March", "DATE")
    b.mention("M5", "E3", "10 March")
    b.mention("M6", "E1", "she", form="PRO")
    b.quote("Q1", "We will win,", "direct", speaker="M6", cue="said")
    write_document(raw, b, split)


def test_recall_benchmark_scores_each_kind_leave_one_out(tmp_path: Path) -> None:
    from benchmarks.suggest_recall import measure

    raw = tmp_path / "raw"
    _doc(raw, "one", 'Maria Lopez joined Acme Corp on 10 March. She is proud. "We will win," she said of the company.\n', "train")
    _doc(raw, "two", 'Maria Lopez left Acme Corp on 10 March. She is sad. "We will win," she said of the company.\n', "test")
    lines = measure(raw, ("one",))
    assert lines[0] == f"1 document(s) scored (one), knowledge from the other 1 of {raw}"
    rows = {tuple(c.strip() for c in x.strip("|").split("|")[:2]): x.split("|")[3:5] for x in lines if x.startswith("| (")}
    # Gold has two PRO ('She', 'she'); 'We' in the quote (its speaker, Maria Lopez) is suggested too, not gold.
    assert rows[("(b) names given", "PRO")] == [" 2/2 = 100.0% ", " 2/3 = 66.7% "]
    assert rows[("(b) names given", "NOM")] == [" 1/1 = 100.0% ", " 1/1 = 100.0% "]
    assert rows[("(b) names given", "values")] == [" 1/1 = 100.0% ", " 1/1 = 100.0% "]
    # The speaker guess is 'she', a gold mention of the gold speaker's entity.
    assert rows[("(b) names given", "quote speaker")] == [" 1/1 = 100.0% ", " 1/1 = 100.0% "]
    # Text only: the names come from document 'two' only (leave-one-out), and are found again.
    assert rows[("(a) text only", "names")] == [" 2/2 = 100.0% ", " 2/2 = 100.0% "]


def test_suggestions_json_is_ignored_by_git() -> None:
    def ignored(path: str) -> bool:
        return subprocess.run(["git", "check-ignore", "-q", "--no-index", path], cwd=ROOT, check=False).returncode == 0

    assert ignored("raw/some-document/suggestions.json")
    assert not ignored("raw/some-document/annotations.json") and not ignored("raw/some-document/text.txt")


def test_an_entity_named_by_its_pronoun_is_no_name_to_find_again() -> None:
    ann: Annotations = {  # type: ignore[typeddict-item]
        "entities": [
            {"id": "E1", "name": "We", "type": "PERSON", "wikidata": None},
            {"id": "E2", "name": "Acme Corp", "type": "ORG", "wikidata": None},
        ],
        "mentions": [
            {"id": "M1", "entity_id": "E1", "start": 0, "end": 2, "text": "We", "label": "PERSON", "form": "PRO"},
            {"id": "M2", "entity_id": "E2", "start": 10, "end": 14, "text": "Acme", "label": "ORG", "form": "NAM"},
        ],
    }
    assert set(suggest.knowledge([ann])) == {"Acme", "Acme Corp"}
    text = "We met Acme Corp. We left.\n"
    sugg = suggest.suggest("d", text, suggest.knowledge([ann]))
    assert {(m["text"], m["form"]) for m in sugg["mentions"] if m["text"] == "We"} == {("We", "PRO")}


def test_no_name_overlapping_a_gold_name_is_suggested_so_accept_all_validates(tmp_path: Path) -> None:
    text = "Port Calder Harbour Authority staff met in Port Calder. It said so.\n"
    builder = DocBuilder("flat", text)
    builder.entity("E1", "Port Calder Harbour Authority", "ORG")
    builder.mention("M1", "E1", "Port Calder Harbour Authority")
    raw = tmp_path / "raw"
    folder = write_document(raw, builder, "train")
    other = DocBuilder("other", "Port Calder and Calder Harbour.\n")
    other.entity("E1", "Port Calder", "GPE")
    other.mention("M1", "E1", "Port Calder")
    other.entity("E2", "Calder Harbour", "LOC")
    other.mention("M2", "E2", "Calder Harbour")
    write_document(raw, other, "test")
    assert run_cli("suggest", "--raw", raw, "flat").returncode == 0
    sugg = json.loads((folder / "suggestions.json").read_text(encoding="utf-8"))
    # 'Calder Harbour' and the first 'Port Calder' lie inside the gold name; the second 'Port Calder' is free.
    assert [(m["text"], m["start"]) for m in sugg["mentions"] if m["form"] == "NAM"] == [("Port Calder", text.rindex("Port Calder"))]
    assert entity_name(sugg, at(sugg, text, "It")) == "Port Calder"  # the nearest singular ORG/GPE/LOC/FAC
    assert run_cli("accept", "--raw", raw, "flat", "--all").returncode == 0
    assert run_cli("validate", "--raw", raw, folder).returncode == 0


def test_label_studio_predictions_keep_only_relations_between_suggested_regions(tmp_path: Path) -> None:
    text = '"We will win," Maria Lopez said. She left.\n'
    builder = DocBuilder("ls", text)
    builder.entity("E1", "Maria Lopez", "PERSON")
    builder.mention("M1", "E1", "Maria Lopez")
    raw = tmp_path / "raw"
    write_document(raw, builder, "train")
    assert run_cli("suggest", "--raw", raw, "ls").returncode == 0
    assert run_cli("export", "labelstudio", "--raw", raw, "--out", tmp_path / "ls").returncode == 0
    [task] = json.loads((tmp_path / "ls" / "tasks.json").read_text(encoding="utf-8"))
    results = task["predictions"][0]["result"]
    regions = {r["id"] for r in results if "id" in r}
    relations = [r for r in results if r["type"] == "relation"]
    # The quote's speaker is the gold 'Maria Lopez' (no prediction region): its speaker relation is left out,
    # its cue stays (coreference travels in each region's entity field, not as an arrow).
    assert relations and all({r["from_id"], r["to_id"]} <= regions for r in relations)
    assert sorted(r["labels"][0] for r in relations) == ["cue"]
    assert any(r["value"]["text"] == "She" for r in results if r["type"] == "labels")
