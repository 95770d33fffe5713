"""Review pages: escaping, structure (parsed), and a real headless Chromium rendering them."""

from __future__ import annotations

import shutil
import subprocess
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import ROOT, DocBuilder, alpha, dump, write_document

from newsanno.cli import main
from newsanno.review.render import render_diff, render_document
from newsanno.validate import DEFAULT_LIMITS, load_document

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text outside tags, from a real HTML parser."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(page: str) -> Elements:
    p = Elements()
    p.feed(page)
    p.close()
    return p


def load(root: Path, builder: DocBuilder):  # type: ignore[no-untyped-def]
    doc, problems = load_document(write_document(root, builder, "train"), DEFAULT_LIMITS)
    assert doc is not None, problems
    return doc


def test_script_in_text_and_annotations_shows_as_text(tmp_path: Path) -> None:
    text = 'Bob <script>alert("x")</script> said "<b>hi</b>".\n'
    b = DocBuilder("evil", text)
    b.entity("E1", "<script>alert(1)</script>", "PERSON")
    b.mention("M1", "E1", "Bob")
    b.quote("Q1", "<b>hi</b>", "direct", "M1", "said")
    page = render_document(load(tmp_path, b))
    parsed = parse(page)
    # The only script element is the page's own; no <b> element was created from the text.
    assert [t for t, _ in parsed.tags].count("script") == 1
    assert "b" not in [t for t, _ in parsed.tags]
    assert "<script>alert" not in page
    joined = "".join(parsed.text)
    assert '<script>alert("x")</script>' in joined and "<script>alert(1)</script>" in joined and "<b>hi</b>" in joined


def test_nested_spans_cover_the_text_exactly(tmp_path: Path) -> None:
    doc = load(tmp_path, alpha())
    parsed = parse(render_document(doc))
    ann = doc.annotations
    # Each mention id appears on at least one element; ids of the fixture, not of the renderer.
    ids = Counter(a["data-mention"] for t, a in parsed.tags if t == "span" and "data-mention" in a)
    assert set(ids) == {m["id"] for m in ann["mentions"]}
    # "Springfield" (M3) is nested inside "the mayor of Springfield" (M2): its segment carries M2 too, so M2 has 2 segments.
    assert ids["M2"] == 2 and ids["M3"] == 1
    # Quote Q1 contains claim C1; every layer id is present and each anchor id is unique.
    assert {a["data-quote"] for _, a in parsed.tags if "data-quote" in a} == {"Q1", "Q2"}
    assert {a["data-claim"] for _, a in parsed.tags if "data-claim" in a} == {"C1", "C2"}
    anchors = [a["id"] for _, a in parsed.tags if "id" in a and (a["id"] or "").startswith("ann-")]
    assert len(anchors) == len(set(anchors))
    # Side panel links resolve to anchors in the text.
    links = {a["href"][1:] for t, a in parsed.tags if t == "a" and (a.get("href") or "").startswith("#")}
    assert links and links <= set(anchors)
    # The text is all there, in order, once (a repeated or reordered segment breaks the one match).
    page_text = "".join(parsed.text)
    assert page_text.count(doc.text.strip()) == 1
    # Side panel counts are the fixture's: Maria Lopez has 3 mentions.
    rows = {a["data-entity-row"] for _, a in parsed.tags if "data-entity-row" in a}
    assert rows == {e["id"] for e in ann["entities"]}
    counts: dict[str, str] = {}
    row = None
    for tag, attrs in parsed.tags:
        if "data-entity-row" in attrs:
            row = attrs["data-entity-row"]
        elif tag == "strong" and "data-count" in attrs and row is not None:
            counts[row] = attrs["data-count"] or ""
            row = None
    maria = next(e["id"] for e in ann["entities"] if e["name"] == "Maria Lopez")
    assert counts[maria] == "3"
    assert counts == {e["id"]: str(sum(m["entity_id"] == e["id"] for m in ann["mentions"])) for e in ann["entities"]}


def test_no_network_references(tmp_path: Path) -> None:
    page = render_document(load(tmp_path, alpha()))
    parsed = parse(page)
    for tag, attrs in parsed.tags:
        for name in ("src", "href"):
            value = attrs.get(name) or ""
            assert not value.startswith(("http:", "https:", "//")), (tag, attrs)
    assert "@import" not in page and "url(" not in page and "@font-face" not in page


def test_diff_marks_agreement(tmp_path: Path) -> None:
    from test_agreement import alpha_variant

    doc = load(tmp_path, alpha())
    parsed = parse(render_diff(doc, alpha_variant().annotations()))  # type: ignore[arg-type]
    status = {a["data-mention"]: a["class"].split()[-1] for t, a in parsed.tags if t == "span" and "data-mention" in a}
    assert status["a:M1"] == "agree" and status["a:M8"] == "only-a"  # "2025" only in A
    assert status["a:M5"] == "only-a" and status["b:M5"] == "only-b"  # 12: CARDINAL vs QUANTITY
    assert status["b:M9"] == "only-b" and "b:M1" not in status  # agreeing mentions drawn once


def chromium(*args: str, user_data: Path) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking"]
    flags += ["--disable-component-update", "--disable-sync", f"--user-data-dir={user_data}"]
    return subprocess.run([CHROMIUM, *flags, *args], capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian package `chromium` (apt-get install chromium)")
def test_chromium_renders_every_mention(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from PIL import Image

    raw = tmp_path / "raw"
    raw.mkdir()
    builder = alpha()
    write_document(raw, builder, "train")
    out = tmp_path / "out"
    assert main(["render", "--raw", str(raw), "--out", str(out)]) == 0, capsys.readouterr().err
    page = (out / "alpha.html").as_uri()

    dom = chromium("--virtual-time-budget=3000", "--dump-dom", page, user_data=tmp_path / "ud1")
    assert dom.returncode == 0, dom.stderr
    parsed = parse(dom.stdout)
    mentions = builder.mentions
    # Every mention of the fixture is a highlighted element in the live DOM.
    shown = {a["data-mention"] for t, a in parsed.tags if t == "span" and "data-mention" in a and "m" in (a.get("class") or "").split()}
    assert shown == {m["id"] for m in mentions}
    # The page's script counted the mentions in the DOM and wrote the counts; compare with the fixture.
    summary = next(a for _, a in parsed.tags if a.get("id") == "js-summary")
    assert summary.get("data-highlighted") == str(len(mentions))
    expected = Counter(m["entity_id"] for m in mentions)
    js_counts = [a["data-js-count"] for _, a in parsed.tags if "data-js-count" in a]
    text = dom.stdout
    for entity_id in js_counts:
        marker = f'data-js-count="{entity_id}">'
        value = text[text.index(marker) + len(marker) :].split("<", 1)[0]
        assert value == str(expected[entity_id]), entity_id
    assert sorted(js_counts) == sorted(e["id"] for e in builder.entities)

    artifacts = ROOT / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    shot = artifacts / "review-alpha.png"
    shot.unlink(missing_ok=True)
    res = chromium(f"--screenshot={shot}", "--window-size=1280,1600", page, user_data=tmp_path / "ud2")
    assert res.returncode == 0 and shot.is_file(), res.stderr
    with Image.open(shot) as img:
        assert img.size == (1280, 1600)
        colours = img.convert("RGB").getcolors(maxcolors=1 << 20)
    # A blank page is one colour; the review page has text and several label colours.
    assert colours is not None and len(colours) > 50


def test_render_cli_writes_index_and_diff(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from test_agreement import alpha_variant

    raw = tmp_path / "raw"
    raw.mkdir()
    write_document(raw, alpha(), "train")
    other = tmp_path / "b.json"
    other.write_text(dump(alpha_variant().annotations()), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["render", "alpha", "--raw", str(raw), "--out", str(out), "--diff", str(other)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["alpha.diff.html", "alpha.html", "index.html"]
    index = parse((out / "index.html").read_text(encoding="utf-8"))
    assert {a["href"] for t, a in index.tags if t == "a"} == {"alpha.html"}
    assert main(["render", "nope", "--raw", str(raw), "--out", str(out)]) == 1
    assert "nope" in capsys.readouterr().out


def test_committed_review_page_is_current(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "review"
    assert main(["render", "--raw", str(ROOT / "raw"), "--out", str(out)]) == 0
    committed = ROOT / "docs" / "review"
    # The same pages, no stale extra one (a document removed from raw/ leaves no page behind).
    assert sorted(p.name for p in committed.iterdir()) == sorted(p.name for p in out.iterdir()), "run: newsanno render"
    for page in out.iterdir():
        assert (committed / page.name).read_text(encoding="utf-8") == page.read_text(encoding="utf-8"), (
            f"run: newsanno render ({page.name} stale)"
        )
