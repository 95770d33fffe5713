"""Bounded problem reports: a per-file cap with a count per rule, every problem in JSON and in the exit code, duplicates once."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_cli

from newsanno.validate import locate_all
from newsanno.validate.seek import locate


def shift_all(folder: Path, layer: str = "mentions") -> int:
    path = folder / "annotations.json"
    ann = json.loads(path.read_text(encoding="utf-8"))
    for item in ann[layer]:
        item["start"] += 1
        item["end"] += 1
    path.write_text(json.dumps(ann, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return len(ann[layer])


def test_text_report_is_capped_with_a_count_per_rule_and_json_has_all(corpus: Path) -> None:
    folder = corpus / "alpha"
    n = shift_all(folder)
    assert n >= 3

    capped = run_cli("validate", "--raw", corpus, "--max-problems", "1", folder)
    full = run_cli("validate", "--raw", corpus, "--max-problems", "0", folder)
    as_json = run_cli("validate", "--raw", corpus, "--format", "json", "--max-problems", "1", folder)

    assert capped.returncode == full.returncode == as_json.returncode == 1
    lines = capped.stdout.splitlines()
    problems = [x for x in lines if not x.startswith("... ")]
    more = [x for x in lines if x.startswith("... ")]
    total = len(full.stdout.splitlines())
    assert len(problems) == 1 and total >= n
    # One summary line per rule code, adding up to what was left out.
    counted = sum(int(x.split()[1].replace(",", "")) for x in more)
    assert counted == total - 1, capped.stdout
    assert any("[span.text] problems in" in x and x.endswith("annotations.json") for x in more), more
    assert len(as_json.stdout.splitlines()) == total
    assert f"{total} errors" in capped.stderr


def test_a_problem_found_twice_is_reported_once(corpus: Path) -> None:
    path = corpus / "alpha" / "annotations.json"
    ann = json.loads(path.read_text(encoding="utf-8"))
    del ann["mentions"][0]["start"], ann["mentions"][0]["end"]
    path.write_text(json.dumps(ann, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    for fmt in ("text", "json"):
        result = run_cli("validate", "--raw", corpus, "--format", fmt, corpus / "alpha")
        assert result.returncode == 1, result.stdout
        missing = [x for x in result.stdout.splitlines() if "missing required fields 'start', 'end'" in x]
        assert len(missing) == 1, result.stdout
        assert ("error [" in missing[0]) if fmt == "text" else ('"severity": "error"' in missing[0]), missing[0]
    assert "1 error," in result.stderr


def test_locate_agrees_with_the_full_locator_on_what_it_locates() -> None:
    text = json.dumps({"a": [{"x": 1, "y": [1, {"k/~": "s"}]}, {"x": 2}], "b": "t"}, indent=2)
    everything = locate_all(text)
    wanted = ["/a/1/x", "/a/0/y/1/k~1~0", "/b", "/a/0/missing"]
    found = locate(text, wanted)
    assert found and all(found[ptr] == everything[ptr] for ptr in found)
    assert {"/a/1/x", "/a/0/y/1/k~1~0", "/b", "/a/0", "/a", ""} <= set(found)
    assert "/a/0/missing" not in found and "/a/1/x" in found


def test_locate_fast_path_for_flat_annotations_agrees_with_the_full_locator() -> None:
    items = [
        {"id": "M0", "text": 'a "start": trap, {[', "start": 1},
        {"id": "M1", "text": 'back\\slash"', "start": 2, "nested": {"start": 9}},
        {"id": "M2", "a/b": 3, "start": 4},
        {"id": "M3"},
    ]
    for indent in (2, None):
        text = json.dumps({"mentions": items}, indent=indent)
        everything = locate_all(text)
        wanted = ["/mentions/0/start", "/mentions/1/start", "/mentions/1/nested/start", "/mentions/2/a~1b", "/mentions/3/start"]
        found = locate(text, wanted)
        for ptr in wanted[:-1]:
            assert found[ptr] == everything[ptr], (ptr, indent)
        assert "/mentions/3/start" not in found and found["/mentions/3"] == everything["/mentions/3"]
