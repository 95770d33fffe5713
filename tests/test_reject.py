"""``newsanno accept DOC_ID --reject ID ...``: rejected suggestions leave suggestions.json, gold untouched."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_cli
from test_suggest import DELTA_TEXT, delta, mentions_by_text

from newsanno.contribute import accept


def test_reject_drops_the_named_suggestions_and_leaves_gold_alone(corpus: Path) -> None:
    folder = delta(corpus)
    assert run_cli("suggest", "--raw", corpus, "delta").returncode == 0
    gold_before = (folder / "annotations.json").read_bytes()
    sugg = json.loads((folder / "suggestions.json").read_text(encoding="utf-8"))
    quote = sugg["quotes"][0]
    speaker = quote["speaker_mention_id"]
    other = mentions_by_text(sugg)["$5 million"]["id"]
    assert speaker is not None

    result = run_cli("accept", "--raw", corpus, "delta", "--reject", other, speaker)

    assert result.returncode == 0, result.stderr
    order = [m["id"] for m in sugg["mentions"]]
    assert f"rejected {', '.join(sorted([other, speaker], key=order.index))}" in result.stdout
    assert (folder / "annotations.json").read_bytes() == gold_before
    left = json.loads((folder / "suggestions.json").read_text(encoding="utf-8"))
    assert accept.problems(left, DELTA_TEXT, "delta", "suggestions.json") == []
    assert {other, speaker}.isdisjoint(m["id"] for m in left["mentions"])
    assert {other, speaker}.isdisjoint(left["reasons"])
    assert len(left["mentions"]) == len(sugg["mentions"]) - 2
    # The quote stays, without the rejected speaker; no entity is left without a mention.
    (kept,) = (q for q in left["quotes"] if q["id"] == quote["id"])
    assert kept["speaker_mention_id"] is None and kept["speaker_entity_id"] is None
    assert {e["id"] for e in left["entities"]} == {m["entity_id"] for m in left["mentions"]}

    # Accepting everything afterwards does not bring the rejected ones back.
    assert run_cli("accept", "--raw", corpus, "delta", "--all").returncode == 0
    gold = json.loads((folder / "annotations.json").read_text(encoding="utf-8"))
    assert "$5 million" not in {m["text"] for m in gold["mentions"]}
    assert run_cli("validate", "--raw", corpus, folder).returncode == 0


def test_reject_refuses_an_unknown_id_or_a_mixed_call_and_writes_nothing(corpus: Path) -> None:
    folder = delta(corpus)
    assert run_cli("suggest", "--raw", corpus, "delta").returncode == 0
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    first = json.loads(before["suggestions.json"])["mentions"][0]["id"]

    unknown = run_cli("accept", "--raw", corpus, "delta", "--reject", first, "SM999")
    assert unknown.returncode == 1 and "no suggested mention or quote 'SM999'" in unknown.stderr
    mixed = run_cli("accept", "--raw", corpus, "delta", "--all", "--reject", first)
    assert mixed.returncode == 1 and "--reject" in mixed.stderr
    assert "Traceback" not in unknown.stderr + mixed.stderr
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
