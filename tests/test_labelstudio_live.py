"""The Label Studio round trip against a real Label Studio (see ``labelstudio_live``).

Each test builds its own documents (one with emoji and a skin-tone modifier, characters outside
the BMP), runs ``newsanno export labelstudio``, creates a Label Studio project from its labeling
config through the REST API, imports the tasks, makes the edits an annotator makes (stored the
way Label Studio's front end stores them: regions with random ids, per-region fields under the
region's id, relations by region id), exports with Label Studio's own JSON export and runs
``newsanno import labelstudio`` on what it gave.  The labeling page is opened in headless
Chromium, logged in as the throwaway user, read from the DOM and photographed.
"""

from __future__ import annotations

import json
import shutil
import string
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import labelstudio_live as live
import pytest
from conftest import ROOT, DocBuilder, alpha, run_cli, write_document
from conftest import span as span_of

CHROMIUM = shutil.which("chromium")

# Emoji before, between and after the annotated spans: 😀 and 🎉 are one code point and two
# UTF-16 units each, 👍🏽 is two code points (thumb, skin tone) and four units.
DELTA_TEXT = (
    'Union leader 😀 Maria Lopez 👍🏽 of the Dockers Union said "we will strike on Monday". '
    "She told reporters the Dockers Union had voted. 🎉 The port of Springfield stays shut, she said.\n"
)
EPSILON_TEXT = "The harbour master of Springfield has not been asked yet.\n"


def delta() -> DocBuilder:
    b = DocBuilder("delta", DELTA_TEXT)
    b.entity("E1", "Maria Lopez", "PERSON")
    b.entity("E2", "Dockers Union", "ORG")
    b.entity("E3", "Springfield", "GPE")
    b.entity("E4", "reporters", "PERSON")
    b.mention("M1", "E1", "Maria Lopez")
    b.mention("M2", "E1", "She", form="PRO")
    b.mention("M3", "E2", "Dockers Union")
    b.mention("M4", "E2", "Dockers Union", nth=1)
    b.mention("M5", "E3", "Springfield")
    b.mention("M6", "E4", "reporters", form="NOM")
    b.mention("M7", "E1", "she", form="PRO")
    b.quote("Q1", "we will strike on Monday", "direct", "M1", "said")
    b.claim("C1", "the Dockers Union had voted", "M2", "UFS")
    return b


def epsilon() -> DocBuilder:
    """A document nobody has annotated yet."""
    return DocBuilder("epsilon", EPSILON_TEXT)


@pytest.fixture(scope="session")
def label_studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[live.LabelStudio]:
    """One Label Studio for the session (the first start runs its migrations, about a minute; later
    ones start from the database that first start left)."""
    failed = live.install()
    if failed is not None:
        pytest.skip(f"needs PyPI package {live.PACKAGE} in its own virtualenv: {failed}")
    folder = tmp_path_factory.mktemp("label-studio")
    server = live.LabelStudio(folder / "data", folder / "label-studio.log")
    try:
        server.wait()
        timings = ROOT / "test-artifacts"
        timings.mkdir(exist_ok=True)
        how = "from the migrated template" if server.from_template else "cold, migrations included"
        (timings / "labelstudio-startup.txt").write_text(
            f"{live.PACKAGE} started in {server.startup_seconds:.1f} s ({how})\n", encoding="utf-8"
        )
        yield server
    finally:
        server.stop()


class Project:
    """A corpus exported to a fresh Label Studio project."""

    def __init__(self, ls: live.LabelStudio, tmp: Path, *builders: DocBuilder, suggestions: dict[str, Any] | None = None) -> None:
        self.ls, self.tmp = ls, tmp
        self.raw = tmp / "raw"
        self.raw.mkdir()
        for b in builders:
            write_document(self.raw, b, "train")
        for doc, suggested in (suggestions or {}).items():
            (self.raw / doc / "suggestions.json").write_text(json.dumps(suggested), encoding="utf-8")
        self.out = tmp / "ls"
        exported = run_cli("export", "labelstudio", "--raw", self.raw, "--out", self.out)
        assert exported.returncode == 0, exported.stdout + exported.stderr
        config = (self.out / "labeling-config.xml").read_text(encoding="utf-8")
        self.id = ls.create_project(tmp.name, config)
        tasks = json.loads((self.out / "tasks.json").read_text(encoding="utf-8"))
        self.imported = ls.import_tasks(self.id, tasks)
        self.task = {t["data"]["document_id"]: t for t in ls.tasks(self.id)}

    def annotation(self, doc: str) -> dict[str, Any]:
        (annotation,) = self.task[doc]["annotations"]
        return annotation

    def save(self, annotation: dict[str, Any], result: list[dict[str, Any]]) -> None:
        """Submit an edited result as the labeling page does (PATCH of the annotation)."""
        self.ls.call("PATCH", f"/api/annotations/{annotation['id']}", {"result": result, "was_cancelled": False})

    def pull(self, export_type: str = "JSON", *, all_tasks: bool = True) -> Path:
        """Label Studio's own export, written where the import reads it."""
        path = self.tmp / f"export-{export_type}-{time.monotonic_ns()}.json"
        data = self.ls.export(self.id, export_type, all_tasks=all_tasks)
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return path

    def back(self, export: Path) -> Any:
        return run_cli("import", "labelstudio", export, "--config", self.out / "labelstudio-config.json", "--raw", self.raw)

    def annotations(self, doc: str) -> dict[str, Any]:
        return json.loads((self.raw / doc / "annotations.json").read_text(encoding="utf-8"))


def region_id(n: int) -> str:
    """An id shaped like the ones Label Studio's front end gives new regions (10 random characters)."""
    alphabet = string.ascii_letters + string.digits + "_-"
    return "".join(alphabet[(n * 7 + i * 13) % len(alphabet)] for i in range(10))


def new_mention(rid: str, text: str, needle: str, label: str, entity: str | None, form: str, nth: int = 0) -> list[dict[str, Any]]:
    """A region as the front end stores it: the labels result, then its per-region fields, one id."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    where = {"start": start, "end": start + len(needle)}
    common = {"id": rid, "to_name": "text", "origin": "manual"}
    out = [{**common, "from_name": "label", "type": "labels", "value": {**where, "text": needle, "labels": [label]}}]
    if entity is not None:
        out.append({**common, "from_name": "entity", "type": "textarea", "value": {**where, "text": [entity]}})
    out.append({**common, "from_name": "form", "type": "choices", "value": {**where, "choices": [form]}})
    return out


def without(result: list[dict[str, Any]], *ids: str) -> list[dict[str, Any]]:
    """The result with regions deleted as the front end deletes them: with their fields and relations."""
    return [r for r in result if r.get("id") not in ids and r.get("from_id") not in ids and r.get("to_id") not in ids]


def relabel(result: list[dict[str, Any]], rid: str, label: str) -> None:
    (region,) = [r for r in result if r.get("id") == rid and r["type"] == "labels"]
    region["value"]["labels"] = [label]


def problems(run: Any, *, lint: bool = True) -> list[str]:
    """The import's problem lines; without ``lint``, the linter's findings on the fixture texts (scheme 2.0
    pronoun checks, which the import reports as validate does) are left out."""
    return [line for line in run.stdout.splitlines() if line.strip() and (lint or "[lint." not in line)]


def test_round_trip_keeps_every_byte_and_unannotated_documents_stay_to_do(label_studio: live.LabelStudio, tmp_path: Path) -> None:
    p = Project(label_studio, tmp_path, delta(), epsilon())
    original = (p.raw / "delta" / "annotations.json").read_bytes()
    assert (p.imported["task_count"], p.imported["annotation_count"]) == (2, 1)
    # The unannotated document has no annotation in Label Studio: it is the next task to label.
    assert p.task["epsilon"]["annotations"] == [] and p.task["epsilon"]["total_annotations"] == 0
    assert label_studio.call("GET", f"/api/projects/{p.id}/next/")["id"] == p.task["epsilon"]["id"]
    # Label Studio keeps the offsets as exported: code points, so each region's text is the text there.
    for r in p.annotation("delta")["result"]:
        if r["type"] == "labels":
            assert DELTA_TEXT[r["value"]["start"] : r["value"]["end"]] == r["value"]["text"]
    run = p.back(p.pull())
    assert run.returncode == 0, run.stdout + run.stderr
    assert (p.raw / "delta" / "annotations.json").read_bytes() == original
    lines = problems(run, lint=False)
    assert len(lines) == 1 and "epsilon" not in lines[0] and "#1" in lines[0] and "[labelstudio.not_annotated]" in lines[0], lines
    assert "no submitted annotation" in lines[0]
    assert json.loads((p.raw / "epsilon" / "annotations.json").read_text(encoding="utf-8"))["mentions"] == []


def test_annotator_edits_come_back_with_fresh_ids_whole_entities_and_new_types(label_studio: live.LabelStudio, tmp_path: Path) -> None:
    p = Project(label_studio, tmp_path, delta())
    before = p.annotations("delta")
    annotation = p.annotation("delta")
    # The middle of E1's chain; the only mention of E4; the second "Dockers Union" (lint warns of it).
    result = without(annotation["result"], "M2", "M6", "M4")
    new = region_id(1)
    result += new_mention(new, DELTA_TEXT, "port", "FAC", None, "NOM", nth=1)  # after 🎉 (nth 0 is in "reporters")
    pronoun = region_id(2)
    result += new_mention(pronoun, DELTA_TEXT, "Union leader", "PERSON", "E1", "NOM")  # before 😀, linked by its entity field
    result.append({"id": region_id(3), "type": "relation", "from_id": "C1", "to_id": "M7", "direction": "right", "labels": ["claimant"]})
    relabel(result, "M5", "LOC")  # every mention of E3 (one) becomes LOC
    p.save(annotation, result)
    run = p.back(p.pull())
    assert run.returncode == 0, run.stdout + run.stderr
    after = p.annotations("delta")
    by_text = {m["text"]: m for m in after["mentions"]}
    # New mentions get ids above every id used, never the deleted M2's or M6's.
    assert by_text["port"]["id"] == "M9" and by_text["Union leader"]["id"] == "M8"
    assert [m["id"] for m in after["mentions"]] == ["M1", "M3", "M5", "M7", "M8", "M9"]
    for m in after["mentions"]:
        assert DELTA_TEXT[m["start"] : m["end"]] == m["text"]
    # Deleting the middle of E1's chain did not split it; the new nominal joined it by its entity field.
    assert {m["id"]: m["entity_id"] for m in after["mentions"] if m["entity_id"] == "E1"} == {"M1": "E1", "M7": "E1", "M8": "E1"}
    assert by_text["Union leader"]["form"] == "NOM" and by_text["port"]["form"] == "NOM"
    entities = {e["id"]: e for e in after["entities"]}
    assert entities["E3"]["type"] == "LOC" and by_text["Springfield"]["label"] == "LOC"
    assert "E4" not in entities  # its only mention was deleted
    assert entities["E5"] == {"id": "E5", "name": "port", "type": "FAC", "wikidata": None}  # above E4, never E4 again
    assert after["claims"][0]["claimant_mention_id"] == "M7" and after["claims"][0]["claimant_entity_id"] == "E1"
    assert after["quotes"] == before["quotes"]
    lines = problems(run)
    assert any("[labelstudio.entity_type]" in line and "E3" in line and "GPE -> LOC" in line for line in lines), lines
    assert any("[labelstudio.entity_removed]" in line and "E4" in line for line in lines), lines
    # The import printed what `validate` prints right after it (the lint warning too), and nothing more.
    check = run_cli("validate", "--raw", p.raw)
    assert check.returncode == 0
    checked = {line for line in problems(check) if "annotations.json" in line}
    assert any("[lint.unannotated_name]" in line and "Dockers Union" in line for line in checked), check.stdout
    assert {line for line in lines if "annotations.json" in line} == checked


def test_a_type_change_on_some_mentions_of_an_entity_is_refused_per_mention(label_studio: live.LabelStudio, tmp_path: Path) -> None:
    p = Project(label_studio, tmp_path, delta())
    before = (p.raw / "delta" / "annotations.json").read_bytes()
    annotation = p.annotation("delta")
    result = annotation["result"]
    relabel(result, "M1", "ORG")
    p.save(annotation, result)
    run = p.back(p.pull())
    assert run.returncode == 1
    refused = [line for line in problems(run) if "[labelstudio.entity_type]" in line]
    assert len(refused) == 1 and "(M1)" in refused[0] and "ORG differs from entity E1's type PERSON" in refused[0], run.stdout
    assert (p.raw / "delta" / "annotations.json").read_bytes() == before


def test_newest_annotation_is_taken_and_drafts_skips_and_older_ones_are_named(label_studio: live.LabelStudio, tmp_path: Path) -> None:
    p = Project(label_studio, tmp_path, delta(), alpha(), epsilon())
    alpha_before = (p.raw / "alpha" / "annotations.json").read_bytes()
    epsilon_before = (p.raw / "epsilon" / "annotations.json").read_bytes()
    # delta: the imported annotation is emptied, a second one (newer) holds the work and a new region.
    first = p.annotation("delta")
    work = first["result"] + new_mention(region_id(4), DELTA_TEXT, "port", "FAC", None, "NOM", nth=1)
    p.save(first, [])
    second = label_studio.call("POST", f"/api/tasks/{p.task['delta']['id']}/annotations/", {"result": work})
    # alpha: a draft that was never submitted; epsilon: skipped by the annotator.
    draft = label_studio.call("POST", f"/api/tasks/{p.task['alpha']['id']}/drafts", {"result": [], "lead_time": 3.0})
    label_studio.call("POST", f"/api/tasks/{p.task['epsilon']['id']}/annotations/", {"result": [], "was_cancelled": True})
    export = p.pull()
    tasks = {t["data"]["document_id"]: t for t in json.loads(export.read_text(encoding="utf-8"))}
    assert [d["id"] for d in tasks["alpha"]["drafts"]] == [draft["id"]] and tasks["epsilon"]["annotations"][0]["was_cancelled"]
    run = p.back(export)
    assert run.returncode == 0, run.stdout + run.stderr
    assert len(p.annotations("delta")["mentions"]) == len(delta().mentions) + 1  # the work, not the empty one
    assert (p.raw / "alpha" / "annotations.json").read_bytes() == alpha_before
    assert (p.raw / "epsilon" / "annotations.json").read_bytes() == epsilon_before
    lines = problems(run)
    several = [line for line in lines if "[labelstudio.several_annotations]" in line]
    assert len(several) == 1 and f"took annotation {second['id']}" in several[0] and f"annotation {first['id']}" in several[0], lines
    assert "0 regions" in several[0] and "older" in several[0]
    drafted = [line for line in lines if f"draft {draft['id']}, not submitted" in line]
    assert (
        len(drafted) == 1
        and f"#{list(tasks).index('alpha')}" in drafted[0]
        and "took annotation" in drafted[0]
        and "[labelstudio.draft_left]" in drafted[0]
    ), lines
    skipped = [line for line in lines if "[labelstudio.not_annotated]" in line and "skipped in Label Studio" in line]
    assert len(skipped) == 1, lines


def test_json_min_export_is_refused_with_words_saying_to_export_json(label_studio: live.LabelStudio, tmp_path: Path) -> None:
    p = Project(label_studio, tmp_path, delta())
    before = (p.raw / "delta" / "annotations.json").read_bytes()
    export = p.pull("JSON_MIN", all_tasks=False)
    assert "data" not in json.loads(export.read_text(encoding="utf-8"))[0]  # what Label Studio's JSON_MIN is
    run = p.back(export)
    assert run.returncode == 1
    (line,) = problems(run)
    assert "[labelstudio.json_min]" in line and "export the project as JSON instead" in line
    assert (p.raw / "delta" / "annotations.json").read_bytes() == before


def test_an_old_utf16_project_converts_and_a_mixed_one_names_the_counting_that_matched(
    label_studio: live.LabelStudio, tmp_path: Path
) -> None:
    p = Project(label_studio, tmp_path, delta())
    before = (p.raw / "delta" / "annotations.json").read_bytes()
    # A project made from an export that counted UTF-16 units (as exports did before): a second task.
    old = json.loads((p.out / "tasks.json").read_text(encoding="utf-8"))[0]
    units = [len(DELTA_TEXT[:i].encode("utf-16-le")) // 2 for i in range(len(DELTA_TEXT) + 1)]
    for r in old["annotations"][0]["result"]:
        if "start" in r.get("value", {}):
            r["value"]["start"], r["value"]["end"] = units[r["value"]["start"]], units[r["value"]["end"]]
    old_project = label_studio.create_project(f"{tmp_path.name}-old", (p.out / "labeling-config.xml").read_text(encoding="utf-8"))
    label_studio.import_tasks(old_project, [old])
    p.id = old_project
    run = p.back(p.pull())
    assert run.returncode == 0, run.stdout + run.stderr
    assert [line.split(": ", 1)[1] for line in problems(run, lint=False)] == [
        "warning [labelstudio.utf16]: region offsets count UTF-16 units (an export from before exports counted code points); converted"
    ]
    assert (p.raw / "delta" / "annotations.json").read_bytes() == before
    # An annotator adds a region there; Label Studio counts it in code points: the task mixes both.
    (task,) = label_studio.tasks(old_project)
    (annotation,) = task["annotations"]
    p.save(annotation, annotation["result"] + new_mention(region_id(5), DELTA_TEXT, "port", "FAC", None, "NOM", nth=1))
    run = p.back(p.pull())
    assert run.returncode == 1
    wrong = [line for line in problems(run) if "[labelstudio.offsets]" in line]
    maria = next(line for line in wrong if "(M1)" in line)
    start = DELTA_TEXT.index("Maria Lopez")
    assert f"region text 'Maria Lopez' is at {units[start]}..{units[start + 11]} in UTF-16 units, not in code points" in maria
    assert f"'Maria Lopez' occurs at {start}..{start + 11} in code points" in maria
    # Every old region (all lie after the first emoji) is named with the counting it fits; the new one is not.
    assert len(wrong) == sum(r["type"] == "labels" for r in old["annotations"][0]["result"])
    assert all("in UTF-16 units, not in code points" in line for line in wrong) and not any(region_id(5) in line for line in wrong)
    assert (p.raw / "delta" / "annotations.json").read_bytes() == before


def test_work_on_a_copy_of_the_prediction_is_imported_as_new_gold(label_studio: live.LabelStudio, tmp_path: Path) -> None:
    b = epsilon()
    raw_tmp = tmp_path / "pre"
    raw_tmp.mkdir()
    suggested = {
        "document_id": "epsilon",
        "entities": [
            {"id": "E1", "name": "Springfield", "type": "GPE", "wikidata": None},
            {"id": "E2", "name": "harbour master", "type": "PERSON", "wikidata": None},
        ],
        "mentions": [
            {"id": "M1", **span_of(b.text, "Springfield"), "label": "GPE", "form": "NAM", "entity_id": "E1"},
            {"id": "M2", **span_of(b.text, "harbour master"), "label": "PERSON", "form": "NOM", "entity_id": "E2"},
        ],
        "quotes": [],
    }
    p = Project(label_studio, tmp_path, b, suggestions={"epsilon": suggested})
    task = p.task["epsilon"]
    assert task["annotations"] == [] and task["total_predictions"] == 1
    (prediction,) = label_studio.call("GET", f"/api/predictions/?task={task['id']}")
    # Opening the task, the front end starts the annotation as a copy of the prediction; submit it.
    label_studio.call(
        "POST", f"/api/tasks/{task['id']}/annotations/", {"result": prediction["result"], "parent_prediction": prediction["id"]}
    )
    run = p.back(p.pull())
    assert run.returncode == 0, run.stdout + run.stderr
    after = p.annotations("epsilon")
    assert [(m["id"], m["text"], m["entity_id"], m["form"]) for m in after["mentions"]] == [
        ("M1", "harbour master", "E1", "NOM"),
        ("M2", "Springfield", "E2", "NAM"),
    ]
    assert [e["name"] for e in after["entities"]] == ["harbour master", "Springfield"]


def article(mentions: int) -> DocBuilder:
    """An article with full coreference: every sentence names or refers to one of four people."""
    people = [("Maria Lopez", "E1"), ("Ben Ochieng", "E2"), ("Ana Silva", "E3"), ("Tom Berg", "E4")]
    sentences, refs = [], []
    for n in range(mentions // 2):
        name, eid = people[n % 4]
        if n < 4:
            sentences.append(f"{name} spoke to the council on day {n}, and she answered every question.")
        else:
            sentences.append(f"On day {n} the councillor met {name} again; she took notes.")
        refs += [(name, eid, "NAM"), ("she", eid, "PRO")]
    b = DocBuilder("long", " ".join(sentences) + "\n")
    for name, eid in people:
        b.entity(eid, name, "PERSON")
    seen: dict[str, int] = {}
    for k, (needle, eid, form) in enumerate(refs, start=1):
        b.mention(f"M{k}", eid, needle, form, nth=seen.get(needle, 0))
        seen[needle] = seen.get(needle, 0) + 1
    b.quote("Q1", "she answered every question", "indirect", "M1", None)
    return b


HIGHLIGHTS = "Array.from(document.querySelectorAll('.htx-highlight')).map(e => [e.className, e.textContent])"


def drawn(browser: live.Browser, ids: list[str]) -> dict[str, str]:
    """The text Label Studio's front end highlights for each region id (fragments joined)."""
    found: dict[str, str] = {}
    for classes, text in browser.evaluate(HIGHLIGHTS):
        for rid in ids:
            if f" htx-highlight-{rid}-" in f" {classes}":
                found[rid] = found.get(rid, "") + text
    return found


def open_task(browser: live.Browser, ls: live.LabelStudio, project: Project, doc: str) -> None:
    browser.send("Page.navigate", url=f"{ls.url}/projects/{project.id}/data?task={project.task[doc]['id']}")
    regions = sum(r["type"] == "labels" for r in project.annotation(doc)["result"])
    browser.wait_for(
        f"new Set(Array.from(document.querySelectorAll('.htx-highlight')).map(e => e.className.split(' ')[1].replace(/-[0-9]+$/, ''))).size >= {regions}"
    )


def set_fields(browser: live.Browser, text: str, entity: str | None, form: str) -> None:
    """Select the region drawn over ``text``, type its entity id (Enter) and pick its form."""
    browser.click(
        browser.box_of(f"Array.from(document.querySelectorAll('.htx-highlight')).find(e => e.textContent === {json.dumps(text)})")
    )
    # The panel shows the selected region's fields: wait until that region is the selected one.
    active = "Array.from(document.querySelectorAll('.htx-highlight.__active')).map(e => e.textContent).join('')"
    browser.wait_for(f"{active} === {json.dumps(text)}")
    time.sleep(0.5)
    entity_box = "Array.from(document.querySelectorAll('input[type=text]')).find(e => e.placeholder.startsWith('entity id'))"
    browser.wait_for(f"!!{entity_box}")
    if entity is not None:
        browser.click(browser.box_of(entity_box))
        browser.send("Input.insertText", text=entity)
        browser.enter()
    browser.click(browser.box_of(f"Array.from(document.querySelectorAll('label')).find(e => e.textContent.startsWith({json.dumps(form)}))"))


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian package `chromium` (apt-get install chromium)")
def test_labeling_page_draws_regions_in_place_and_takes_a_new_pronoun_link(label_studio: live.LabelStudio, tmp_path: Path) -> None:
    long = article(300)
    p = Project(label_studio, tmp_path, delta(), long)
    result = p.annotation("long")["result"]
    # Coreference travels in the per-region entity field: no arrow per link, only the quote's speaker.
    assert sum(r["type"] == "relation" for r in result) == 1
    assert sum(r["type"] == "labels" for r in result) == len(long.mentions) + 1
    browser = live.Browser(CHROMIUM, tmp_path / "chromium")  # type: ignore[arg-type]
    try:
        browser.send("Network.enable")
        for name, value in label_studio.session_cookie().items():
            browser.send("Network.setCookie", name=name, value=value, url=label_studio.url)
        open_task(browser, label_studio, p, "delta")
        # Every label of the page has its hotkey on it (the earlier page left 27 of 61 without one).
        shown = browser.wait_for(  # the label bar may render after the regions
            "Array.from(document.querySelector('.lsf-labels').querySelectorAll('.lsf-label'))"
            ".map(e => [e.querySelector('.lsf-label__text').textContent, (e.querySelector('.lsf-label__hotkey') || {}).textContent])"
        )
        view = ET.fromstring((p.out / "labeling-config.xml").read_text(encoding="utf-8"))
        assert [tuple(pair) for pair in shown] == [(label.get("value"), label.get("hotkey")) for label in view.iter("Label")]
        # The front end draws each region over the text its offsets name, before and after the emoji.
        exported = {r["id"]: r["value"]["text"] for r in p.annotation("delta")["result"] if r["type"] == "labels"}
        assert drawn(browser, list(exported)) == exported
        # An annotator's edits, with keyboard and mouse: a FAC region after 🎉 (hotkey 3), a PERSON
        # region (hotkey 1) linked to E1 by typing E1 in its entity field, forms picked, Update.
        for hotkey, word in (("3", "port"), ("1", "leader")):
            browser.key(hotkey)
            browser.drag(browser.text_box(f"\\b{word}\\b"))
            browser.wait_for(f"Array.from(document.querySelectorAll('.htx-highlight')).some(e => e.textContent === {json.dumps(word)})")
        set_fields(browser, "port", None, "NOM")
        set_fields(browser, "leader", "E1", "NOM")
        artifacts = ROOT / "test-artifacts"
        artifacts.mkdir(exist_ok=True)
        browser.screenshot(artifacts / "labelstudio-link.png")  # the new region selected, linked to E1
        browser.click(browser.box_of("Array.from(document.querySelectorAll('button')).find(b => b.textContent.trim() === 'Update')"))
        deadline = time.monotonic() + 60
        while sum(r["type"] == "labels" for r in label_studio.tasks(p.id)[0]["annotations"][0]["result"]) < len(exported) + 2:
            assert time.monotonic() < deadline, "Label Studio never saved the two new regions"
            time.sleep(0.5)
        open_task(browser, label_studio, p, "long")
        browser.click(browser.box_of("Array.from(document.querySelectorAll('.htx-highlight')).find(e => e.textContent === 'she')"))
        time.sleep(1)
        browser.screenshot(artifacts / "labelstudio-page.png")
        ids = [r["id"] for r in result if r["type"] == "labels"]
        assert len(drawn(browser, ids)) == len(ids)
    finally:
        browser.close()
    run = p.back(p.pull())
    assert run.returncode == 0, run.stdout + run.stderr
    after = {m["text"]: m for m in p.annotations("delta")["mentions"]}
    port, leader = after["port"], after["leader"]
    assert DELTA_TEXT[port["start"] : port["end"]] == "port" and DELTA_TEXT[leader["start"] : leader["end"]] == "leader"
    assert (port["label"], port["form"], port["id"]) == ("FAC", "NOM", "M9") and port["entity_id"] == "E5"
    assert (leader["label"], leader["form"], leader["entity_id"], leader["id"]) == ("PERSON", "NOM", "E1", "M8")
