"""newsanno suggest / accept: proposals from corpus names, cue-marked quotes and patterns, kept apart from gold until accepted."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from conftest import DocBuilder, run_cli, write_document

from newsanno import schema
from newsanno.contribute import accept, suggest
from newsanno.model import Annotations

DELTA_TEXT = (
    'On Monday, Maria Lopez said, "We will win the vote." The Springfield Tribune disagreed.\n\n'
    '7 February 2024 was cold. Some 1,200 people paid $5 million, 3 percent more. Marian Lopezes and "nothing" here.\n'
)


def delta(root: Path) -> Path:
    """A new document (no annotations) whose text repeats names the fixture corpus knows."""
    return write_document(root, DocBuilder("delta", DELTA_TEXT), "train")


def mentions_by_text(sugg: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {m["text"]: m for m in sugg["mentions"]}


def test_names_are_whole_word_case_sensitive_longest_first_and_linked() -> None:
    ann: Annotations = {  # type: ignore[typeddict-item]
        "entities": [
            {"id": "E1", "name": "Port Calder Harbour Authority", "type": "ORG", "wikidata": "Q1"},
            {"id": "E2", "name": "Port Calder", "type": "GPE", "wikidata": None},
            {"id": "E3", "name": "Ann Smith", "type": "PERSON", "wikidata": "Q7"},
        ],
        "mentions": [{"id": "M1", "entity_id": "E3", "start": 0, "end": 3, "text": "Ann", "label": "PERSON", "form": "NAM"}],
    }
    names = suggest.knowledge([ann])
    text = "The Port Calder Harbour Authority met Ann. port calder, Annex and Port Calder.\n"
    found = [(start, name.text, name.entity_name, name.wikidata) for start, name in suggest.name_matches(text, names)]
    assert found == [
        (4, "Port Calder Harbour Authority", "Port Calder Harbour Authority", "Q1"),
        (38, "Ann", "Ann Smith", "Q7"),
        (text.rindex("Port Calder"), "Port Calder", "Port Calder", None),
    ]


def test_number_and_date_patterns() -> None:
    found = {(text, label) for _, text, label in suggest.pattern_matches(DELTA_TEXT, [])}
    for expected in (
        ("Monday", "DATE"),
        ("7 February 2024", "DATE"),
        ("Some 1,200", "CARDINAL"),
        ("$5 million", "MONEY"),
        ("3 percent", "PERCENT"),
    ):
        assert expected in found, (expected, found)


def test_quote_candidates_need_a_cue_and_guess_the_nearest_speaker() -> None:
    names = suggest.knowledge([{"entities": [{"id": "E1", "name": "Maria Lopez", "type": "PERSON", "wikidata": None}], "mentions": []}])  # type: ignore[list-item]
    sugg = suggest.suggest("delta", DELTA_TEXT, names)
    assert [q["text"] for q in sugg["quotes"]] == ["We will win the vote."], "the pair without a cue is no candidate"
    quote = sugg["quotes"][0]
    speaker = next(m for m in sugg["mentions"] if m["id"] == quote["speaker_mention_id"])
    assert speaker["text"] == "Maria Lopez" and quote["speaker_entity_id"] == speaker["entity_id"]
    assert quote["cue"] == {"start": DELTA_TEXT.index("said"), "end": DELTA_TEXT.index("said") + 4, "text": "said"}
    assert sugg["reasons"][quote["id"]]["source"] == "quotes"
    curly = suggest.suggest("x", "“It works,” wrote Ann.\n", {})
    assert [(q["text"], q["cue"]["text"]) for q in curly["quotes"]] == [("It works,", "wrote")]


def test_every_cue_the_guidelines_list_is_in_the_cue_file() -> None:
    guidelines = (Path(__file__).resolve().parent.parent / "GUIDELINES.md").read_text(encoding="utf-8")
    sentence = guidelines[guidelines.index("Cues include") : guidelines.index("Speech acts whose")]
    listed = {" ".join(c.lower().split()) for c in re.findall(r'"([^"]+)"', sentence)}
    assert listed and listed <= {c.lower() for c in suggest.cues()}, listed - set(suggest.cues())


def test_suggest_writes_only_suggestions_linked_to_corpus_entities(corpus: Path) -> None:
    folder = delta(corpus)
    gold_before = (folder / "annotations.json").read_bytes()

    result = run_cli("suggest", "--raw", corpus, "delta")

    assert result.returncode == 0, result.stderr
    assert (folder / "annotations.json").read_bytes() == gold_before, "suggestions must never be written as gold"
    sugg = json.loads((folder / "suggestions.json").read_text(encoding="utf-8"))
    assert accept.problems(sugg, DELTA_TEXT, "delta", "suggestions.json") == []
    by_text = mentions_by_text(sugg)
    assert "Marian Lopezes" not in by_text and "Lopez" not in by_text
    tribune = by_text["Springfield Tribune"]  # longest first: not 'Springfield' inside it
    assert "Springfield" not in by_text
    entity = next(e for e in sugg["entities"] if e["id"] == tribune["entity_id"])
    assert (entity["name"], entity["type"], tribune["label"]) == ("Springfield Tribune", "ORG", "ORG")
    assert sugg["reasons"][tribune["id"]]["source"] == "corpus"
    assert sugg["reasons"][by_text["$5 million"]["id"]]["source"] == "pattern"
    assert "suggested" in result.stdout


def test_accept_merges_reviewed_items_and_removes_them_from_suggestions(corpus: Path) -> None:
    folder = delta(corpus)
    assert run_cli("suggest", "--raw", corpus, "delta").returncode == 0
    sugg = json.loads((folder / "suggestions.json").read_text(encoding="utf-8"))
    quote_id = sugg["quotes"][0]["id"]

    result = run_cli("accept", "--raw", corpus, "delta", quote_id)

    assert result.returncode == 0, result.stderr
    gold = json.loads((folder / "annotations.json").read_text(encoding="utf-8"))
    assert [q["id"] for q in gold["quotes"]] == ["Q1"]
    speaker = gold["mentions"][0]
    assert gold["quotes"][0]["speaker_mention_id"] == speaker["id"] == "M1" and speaker["text"] == "Maria Lopez"
    assert gold["entities"] == [{"id": "E1", "name": "Maria Lopez", "type": "PERSON", "wikidata": None}]
    left = json.loads((folder / "suggestions.json").read_text(encoding="utf-8"))
    assert quote_id not in {q["id"] for q in left["quotes"]} and "Maria Lopez" not in mentions_by_text(left)
    # Written canonically: formatting it again changes nothing.
    assert (folder / "annotations.json").read_text(encoding="utf-8") == schema_canonical(gold)
    assert run_cli("validate", "--raw", corpus, folder).returncode == 0

    assert run_cli("accept", "--raw", corpus, "delta", "--all").returncode == 0
    gold = json.loads((folder / "annotations.json").read_text(encoding="utf-8"))
    assert len(gold["mentions"]) == len(sugg["mentions"])
    assert json.loads((folder / "suggestions.json").read_text(encoding="utf-8"))["mentions"] == []
    assert run_cli("validate", "--raw", corpus, folder).returncode == 0


def schema_canonical(value: dict[str, Any]) -> str:
    from newsanno import jsonio

    return jsonio.canonical_dumps(value, schema.ANNOTATIONS)


def test_suggest_and_accept_refuse_an_invalid_document_and_write_nothing(corpus: Path) -> None:
    folder = delta(corpus)
    assert run_cli("suggest", "--raw", corpus, "delta").returncode == 0
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    ann = json.loads(before["annotations.json"])
    ann["mentions"] = [{"id": "M1", "entity_id": "E9", "start": 0, "end": 2, "text": "On", "label": "DATE", "form": "NAM"}]
    (folder / "annotations.json").write_text(json.dumps(ann, indent=2) + "\n", encoding="utf-8")
    before["annotations.json"] = (folder / "annotations.json").read_bytes()

    for command in (("suggest", "delta"), ("accept", "delta", "--all")):
        result = run_cli(command[0], "--raw", corpus, *command[1:])
        assert result.returncode == 1, result
        first = result.stderr.splitlines()[0]
        assert re.match(r".*annotations\.json:\d+:\d+: error \[", first), first
        assert "Traceback" not in result.stderr
        assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_accept_refuses_an_unknown_id_and_writes_nothing(corpus: Path) -> None:
    folder = delta(corpus)
    assert run_cli("suggest", "--raw", corpus, "delta").returncode == 0
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    result = run_cli("accept", "--raw", corpus, "delta", "SM999")
    assert result.returncode == 1 and "no suggested mention or quote 'SM999'" in result.stderr
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_render_shows_suggestions_only_when_asked(corpus: Path, tmp_path: Path) -> None:
    delta(corpus)
    assert run_cli("suggest", "--raw", corpus, "delta").returncode == 0
    plain, shown = tmp_path / "plain", tmp_path / "shown"
    assert run_cli("render", "--raw", corpus, "--out", plain, "delta").returncode == 0
    assert run_cli("render", "--raw", corpus, "--out", shown, "--suggestions", "delta").returncode == 0
    page = (shown / "delta.html").read_text(encoding="utf-8")
    assert "Suggestions (not gold)" in page and "dashed" in page and 'data-suggestion="SQ1"' in page
    assert "data-suggestion" not in (plain / "delta.html").read_text(encoding="utf-8")
    # Suggested spans are not gold mentions: the page's mention count stays that of annotations.json.
    assert "data-expected='0'" in page


def test_recall_benchmark_scores_the_fixture_corpus(corpus: Path) -> None:
    from benchmarks.suggest_recall import measure

    lines = measure(corpus)
    assert lines[0] == f"3 document(s) in {corpus}"
    rows = [x for x in lines if x.startswith("| (")]
    # Two settings x (three mention rules + two quote rules).
    assert len(rows) == 10
    # With its own names as knowledge, alpha's 'Maria Lopez' (and the others') are found exactly.
    own = next(x for x in rows if x.startswith("| (b) own names | mentions | exact span+label"))
    found, total = (int(n) for n in re.search(r"(\d+)/(\d+) =", own).groups())  # type: ignore[union-attr]
    assert total == 15 and found >= 10, own
