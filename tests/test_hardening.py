"""Hostile strings from raw/ reach the card, the charts and YAML readers harmlessly.

One test per class of attack: Markdown/HTML injection into the generated card, math text
and control characters in chart labels, and YAML alias bombs in a card's front matter.
"""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
from conftest import alpha, run_cli, write_document
from PIL import Image

from newsanno import safeyaml
from newsanno.publish import card
from newsanno.publish.stats import CorpusStats
from newsanno.releases.revisions import RevisionError, snapshot

INJECTION = "kept on purpose\n## Licence\nAll yours | <script>alert(1)</script>"


def test_card_cells_cannot_break_out_of_their_table() -> None:
    stats = CorpusStats()
    stats.documents["train"] = 1
    stats.lint_exceptions.append(("doc|1", "lint.unlinked_name", "/mentions/0", INJECTION))
    text = card.statistics(stats)
    lines = text.splitlines()
    assert "## Licence" not in lines, "a line break in a reason must not start a section"
    assert "<script>" not in text and "&lt;script&gt;" in text
    row = next(line for line in lines if line.startswith("| doc\\|1"))
    # A row of the four-column table has exactly five unescaped pipes.
    assert row.replace("\\|", "").count("|") == 5
    assert "doc\\|1" in row and "All yours \\|" in row


def test_chart_labels_are_drawn_literally(tmp_path: Path, card_file: Path) -> None:
    """An entity name that matplotlib would parse as math text (and fail on) builds fine."""
    raw = tmp_path / "raw"
    doc = alpha()
    for entity in doc.entities:
        if entity["id"] == "E1":
            entity["name"] = r"$\undefined{x}$"
    write_document(raw, doc, "train")
    out = tmp_path / "dataset"
    result = run_cli("build", "--raw", raw, "--out", out, "--card", card_file, "--no-changelog", "--no-cache")
    assert result.returncode == 0, result.stderr
    assert "internal error" not in result.stderr
    png = Image.open(io.BytesIO((out / "charts" / "quotes.png").read_bytes()))
    assert png.size[0] > 100


@pytest.mark.parametrize("name", ["line\nbreak", "bidi\u202eevil", "tab\tand\x00nul", "zero\u200bwidth"])
def test_chart_labels_with_control_characters_never_fail(name: str) -> None:
    from newsanno.publish import charts

    stats = CorpusStats()
    stats.quote_speakers.update([name, name, "plain"])
    assert charts._drawable(name) != name
    assert "\ufffd" in charts._drawable(name)
    assert charts.draw(charts.specs(stats)["quotes.png"]).startswith(b"\x89PNG")


BOMB = "a: &a ['x','x','x','x','x','x','x','x','x']\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]\n" for i in range(9)
)


def test_yaml_aliases_are_refused_without_expanding() -> None:
    assert len(BOMB) < 700
    started = time.process_time()
    with pytest.raises(safeyaml.YAMLRefused, match="aliases"):
        safeyaml.load(BOMB)
    assert time.process_time() - started < 5, "the refusal must come before any expansion"
    assert safeyaml.load("configs:\n  - config_name: ner\n") == {"configs": [{"config_name": "ner"}]}


def test_yaml_size_is_capped() -> None:
    with pytest.raises(safeyaml.YAMLRefused, match="larger than"):
        safeyaml.load("x: " + "y" * 2_000_000)


def test_diff_refuses_a_card_holding_an_alias_bomb(tmp_path: Path) -> None:
    (tmp_path / "dataset").mkdir()
    (tmp_path / "dataset" / "README.md").write_text(f"---\n{BOMB}---\n\nprose\n", encoding="utf-8")
    with pytest.raises(RevisionError, match="aliases"):
        snapshot(tmp_path, "WORKTREE")
    result = run_cli("diff", "WORKTREE", "WORKTREE", "--repo", tmp_path)
    assert result.returncode != 0
    assert "aliases" in result.stderr and "Traceback" not in result.stderr


@pytest.fixture
def card_file(tmp_path: Path) -> Path:
    path = tmp_path / "CARD.md"
    path.write_text("# Fixture card\n", encoding="utf-8")
    return path


# --- the token cache is an input: never trusted -------------------------------------------

CACHE_TEXT = "Maria Lopez spoke in Springfield.\n\nShe left on Monday."


def _forged_entry(text: str, tok: object, digest_over_text: bool) -> bytes:
    """An entry an attacker can write: a valid digest (of the body alone, as the old format
    had it, or with the text's key too) over tokens of their choosing."""
    import hashlib

    from newsanno import tokencache as tc

    if digest_over_text:
        return tc.encode(text, tok)  # type: ignore[arg-type]
    body = tc.encode(text, tok)[: -tc._DIGEST]  # type: ignore[arg-type]
    return body + hashlib.blake2b(body, digest_size=tc._DIGEST).digest()


def test_a_forged_cache_entry_is_never_used(tmp_path: Path) -> None:
    from newsanno import tokencache as tc
    from newsanno.tokens import Tokenization, tokenize

    real = tokenize(CACHE_TEXT)
    cache = tc.TokenCache(tmp_path / "cache")
    entry = cache.path(CACHE_TEXT)
    entry.parent.mkdir(parents=True)
    # Tokens that split "Maria" in two and cover all non-space characters: plausible-looking.
    split = Tokenization((0, 2, *real.starts[1:]), (2, 5, *real.ends[1:]), ((0, len(real.starts) + 1),))
    # Tokens that skip a word: they do not re-create the text.
    skipping = Tokenization(real.starts[1:], real.ends[1:], ((0, len(real.starts) - 1),))
    # Tokens outside the text.
    outside = Tokenization((0, 500), (5, 505), ((0, 2),))
    for forged in (
        _forged_entry(CACHE_TEXT, split, False),
        _forged_entry(CACHE_TEXT, skipping, True),
        _forged_entry(CACHE_TEXT, outside, True),
    ):
        entry.write_bytes(forged)
        assert cache.tokenize(CACHE_TEXT) == real
        assert entry.read_bytes() == tc.encode(CACHE_TEXT, real), "a bad entry is rebuilt"
    # An intact entry of another text, copied under this text's key, is refused too.
    entry.write_bytes(tc.encode("Other text.", tokenize("Other text.")))
    assert cache.tokenize(CACHE_TEXT) == real


def test_the_cache_never_follows_a_symlink_out(tmp_path: Path) -> None:
    from newsanno import tokencache as tc
    from newsanno.tokens import tokenize

    outside = tmp_path / "outside"
    outside.mkdir()
    cache = tc.TokenCache(tmp_path / "cache")
    entry = cache.path(CACHE_TEXT)
    entry.parent.parent.mkdir(parents=True)
    entry.parent.symlink_to(outside, target_is_directory=True)  # a symlinked fan-out folder
    assert cache.tokenize(CACHE_TEXT) == tokenize(CACHE_TEXT)
    assert list(outside.iterdir()) == [], "nothing is written through the link"
    # A symlinked entry pointing at a file outside is not read (nor written through).
    entry.parent.unlink()
    entry.parent.mkdir()
    target = outside / "victim"
    target.write_bytes(tc.encode(CACHE_TEXT, tokenize(CACHE_TEXT)))
    entry.symlink_to(target)
    assert cache.tokenize(CACHE_TEXT) == tokenize(CACHE_TEXT)
    assert target.read_bytes() == tc.encode(CACHE_TEXT, tokenize(CACHE_TEXT))


# --- review pages: every string shown is escaped -------------------------------------------

PAYLOADS = ["</script><script>alert(1)</script>", '"\' onmouseover="alert(2)', "'><img src=x onerror=alert(3)>"]


def _tags(page: str) -> list[tuple[str, dict[str, str | None]]]:
    from html.parser import HTMLParser

    found: list[tuple[str, dict[str, str | None]]] = []

    class Tags(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.append((tag, dict(attrs)))

    parser = Tags()
    parser.feed(page)
    parser.close()
    return found


@pytest.mark.parametrize("payload", PAYLOADS)
def test_review_pages_escape_titles_names_and_text(tmp_path: Path, payload: str) -> None:
    from conftest import DocBuilder

    text = f"Bob said {payload} today.\n"
    b = DocBuilder("evil", text)
    b.entity("E1", payload, "PERSON")
    b.mention("M1", "E1", "Bob")
    b.quote("Q1", payload, "direct", "M1", "said")
    raw = tmp_path / "raw"
    write_document(raw, b, "train", title=f"Headline {payload}")
    other = tmp_path / "other.json"
    other.write_text((raw / "evil" / "annotations.json").read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "review"
    result = run_cli("render", "evil", "--raw", raw, "--out", out, "--diff", other)
    assert result.returncode == 0, result.stderr
    for name in ("evil.html", "evil.diff.html", "index.html"):
        page = (out / name).read_text(encoding="utf-8")
        tags = _tags(page)
        assert "img" not in {t for t, _ in tags}, name
        assert [t for t, _ in tags].count("script") <= 1, name
        assert not any(k.startswith("on") for _, attrs in tags for k in attrs), f"{name}: an event handler attribute was injected"


# --- verify never reads through a symbolic link -------------------------------------------


@pytest.mark.parametrize("where", ["file", "folder", "manifest"])
def test_verify_refuses_symlinks_in_a_dataset_folder(tmp_path: Path, where: str) -> None:
    from newsanno.publish import checksums

    folder = tmp_path / "dataset"
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "a.parquet").write_bytes(b"rows")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret").write_bytes(b"not part of the dataset")
    checksums.write(folder)
    assert checksums.verify(folder) == []
    if where == "file":
        (folder / "data" / "b.parquet").symlink_to(outside / "secret")
    elif where == "folder":
        (folder / "more").symlink_to(outside, target_is_directory=True)
    else:
        real = folder / checksums.MANIFEST
        (outside / "SUMS").write_bytes(real.read_bytes())
        real.unlink()
        real.symlink_to(outside / "SUMS")
    mismatches = checksums.verify(folder)
    assert mismatches and all(m.kind == "symlink" for m in mismatches)
    result = run_cli("verify", folder)
    assert result.returncode == 1 and "symbolic links are not accepted" in result.stderr


# --- outputs never clobber inputs -----------------------------------------------------------


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def small_corpus(tmp_path: Path, card_file: Path) -> Path:
    raw = tmp_path / "raw"
    write_document(raw, alpha(), "train")
    return raw


@pytest.mark.parametrize("out", ["raw", "raw/alpha", "."])
def test_build_refuses_an_output_overlapping_its_corpus(small_corpus: Path, card_file: Path, out: str) -> None:
    before = _tree(small_corpus)
    target = small_corpus.parent / out
    result = run_cli("build", "--raw", small_corpus, "--out", target, "--card", card_file, "--no-changelog", "--no-cache", "--force")
    assert result.returncode == 1
    assert "[output.overlaps_input]" in result.stdout and "Traceback" not in result.stderr
    assert _tree(small_corpus) == before


def test_build_replaces_a_file_or_foreign_folder_only_with_force(small_corpus: Path, card_file: Path, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n", encoding="utf-8")
    foreign = tmp_path / "photos"
    foreign.mkdir()
    (foreign / "a.jpg").write_bytes(b"\xff\xd8")
    for target in (notes, foreign):
        refused = run_cli("build", "--raw", small_corpus, "--out", target, "--card", card_file, "--no-changelog", "--no-cache")
        assert refused.returncode == 1 and "[output.not_ours]" in refused.stdout and "--force" in refused.stdout
    assert notes.read_text(encoding="utf-8") == "my notes\n" and (foreign / "a.jpg").exists()
    forced = run_cli("build", "--raw", small_corpus, "--out", notes, "--card", card_file, "--no-changelog", "--no-cache", "--force")
    assert forced.returncode == 0, forced.stderr
    assert (notes / "SHA256SUMS").is_file()
    # A dataset folder the build wrote before is replaced without --force.
    again = run_cli("build", "--raw", small_corpus, "--out", notes, "--card", card_file, "--no-changelog", "--no-cache")
    assert again.returncode == 0, again.stderr


def test_export_refuses_to_overwrite_inputs_and_foreign_files(small_corpus: Path, tmp_path: Path) -> None:
    before = _tree(small_corpus)
    into_raw = run_cli("export", "brat", "--raw", small_corpus, "--out", small_corpus / "alpha")
    assert into_raw.returncode == 1 and "[output.overlaps_input]" in into_raw.stdout
    thesis = tmp_path / "thesis.txt"
    thesis.write_text("chapter 1\n", encoding="utf-8")
    foreign = run_cli("export", "conll", "--raw", small_corpus, "--out", thesis)
    assert foreign.returncode == 1 and "[output.not_ours]" in foreign.stdout
    assert thesis.read_text(encoding="utf-8") == "chapter 1\n" and _tree(small_corpus) == before
    conll = tmp_path / "train.conll"
    assert run_cli("export", "conll", "--raw", small_corpus, "--out", conll).returncode == 0
    assert run_cli("export", "conll", "--raw", small_corpus, "--out", conll).returncode == 0, "its own output is replaced"


# --- strict metadata and text ---------------------------------------------------------------

import json  # noqa: E402


def _corpus_with(tmp_path: Path, edit_meta=None, edit_ann=None, text: str | None = None) -> Path:  # type: ignore[no-untyped-def]
    from conftest import DocBuilder, dump, sha256

    raw = tmp_path / "raw"
    doc = alpha() if text is None else DocBuilder("alpha", text)
    if text is not None:
        doc.entity("E1", "Maria Lopez", "PERSON")
        doc.mention("M1", "E1", "Maria Lopez")
    folder = write_document(raw, doc, "train")
    if edit_ann is not None:
        ann = json.loads((folder / "annotations.json").read_text(encoding="utf-8"))
        edit_ann(ann)
        (folder / "annotations.json").write_text(dump(ann), encoding="utf-8")
    meta = json.loads((folder / "document.json").read_text(encoding="utf-8"))
    if edit_meta is not None:
        edit_meta(meta)
    meta["text_sha256"] = sha256((folder / "text.txt").read_bytes())
    (folder / "document.json").write_text(dump(meta), encoding="utf-8")
    return raw


def _set(key: str, value: object):  # type: ignore[no-untyped-def]
    def edit(meta: dict) -> None:  # type: ignore[type-arg]
        target = meta
        *path, last = key.split(".")
        for part in path:
            target = target[part]
        target[last] = value

    return edit


@pytest.mark.parametrize(
    ("edit", "code"),
    [
        (_set("language", "en\n"), "schema.pattern"),
        (_set("language", "english"), "schema.pattern"),
        (_set("language", "zz-ZZ"), "meta.language"),
        (_set("rights.annotations", "CC-BY-4.0\n"), "schema.pattern"),
        (_set("rights.annotations", "Made-Up-1.0"), "meta.licence"),
        (_set("rights", {"text": "LicenseRef-gazette", "annotations": "CC-BY-4.0"}), "meta.licence"),  # no notice
        (_set("title", "Head\u202eline"), "text.invisible"),
        (_set("author", "Jane\u200bReporter"), "text.invisible"),
        (_set("publisher", "Gazette\x85"), "text.invisible"),
    ],
)
def test_metadata_is_strict(tmp_path: Path, edit, code: str) -> None:  # type: ignore[no-untyped-def]
    raw = _corpus_with(tmp_path, edit_meta=edit)
    result = run_cli("validate", "--raw", raw, "--no-cache")
    assert result.returncode == 1, result.stdout
    assert f"[{code}]" in result.stdout and "document.json" in result.stdout


def test_valid_metadata_variants_pass(tmp_path: Path) -> None:
    def edit(meta: dict) -> None:  # type: ignore[type-arg]
        meta["language"] = "en-GB"
        meta["rights"] = {"text": "LicenseRef-gazette", "notice": "All rights reserved by the Gazette.", "annotations": "CC-BY-SA-4.0"}

    raw = _corpus_with(tmp_path, edit_meta=edit)
    result = run_cli("validate", "--raw", raw, "--no-cache")
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize(
    ("edit", "code"),
    [
        (lambda a: a["mentions"][0].update(id="M1\n"), "schema.pattern"),
        (lambda a: a["entities"][0].update(name="Maria\u2066 Lopez"), "text.invisible"),
        (lambda a: a["entities"][0].update(name="Mari\u0301a Lopez"), "text.nfc"),
        (
            lambda a: a["exceptions"].append(
                {"code": "lint.unannotated_name", "annotation_id": None, "start": 0, "end": 5, "reason": "fine\x07"}
            ),
            "text.invisible",
        ),
    ],
)
def test_ids_and_names_hold_nothing_invisible(tmp_path: Path, edit, code: str) -> None:  # type: ignore[no-untyped-def]
    raw = _corpus_with(tmp_path, edit_ann=edit)
    result = run_cli("validate", "--raw", raw, "--no-cache")
    assert result.returncode == 1
    assert f"[{code}]" in result.stdout


def test_invisible_characters_in_the_text_warn_outside_spans_and_fail_inside(tmp_path: Path) -> None:
    outside = _corpus_with(tmp_path / "a", text="Maria Lopez spoke.\u200b\n")
    result = run_cli("validate", "--raw", outside, "--no-cache")
    assert result.returncode == 0, result.stdout
    assert "warning [text.invisible]" in result.stdout and "U+200B" in result.stdout and "text.txt:1:19" in result.stdout
    inside = _corpus_with(tmp_path / "b", text="Maria Lopez\u200b spoke.\n")
    # The mention takes the zero-width space at its end into its span.
    ann_path = inside / "alpha" / "annotations.json"
    ann = json.loads(ann_path.read_text(encoding="utf-8"))
    ann["mentions"][0].update(start=0, end=12, text="Maria Lopez\u200b")
    from conftest import dump

    ann_path.write_text(dump(ann), encoding="utf-8")
    result = run_cli("validate", "--raw", inside, "--no-cache")
    assert result.returncode == 1 and "error [text.invisible]" in result.stdout
    controls = _corpus_with(tmp_path / "c", text="Maria Lopez spoke.\x0c\n")
    result = run_cli("validate", "--raw", controls, "--no-cache")
    assert result.returncode == 1 and "[text.control]" in result.stdout


def test_the_two_schema_validators_never_disagree_silently(monkeypatch: pytest.MonkeyPatch) -> None:
    """A value the compiled validator refuses is an error even if the explaining one (here a
    stand-in that accepts everything, as a bug would) finds no reason."""
    import jsonschema

    from newsanno import schema
    from newsanno.validate import schema_problems

    bad = {"id": "x"}
    assert schema_problems(bad, schema.DOCUMENT, "document.json")
    monkeypatch.setattr(schema, "validator", lambda _name: jsonschema.Draft202012Validator({}))
    problems = schema_problems(bad, schema.DOCUMENT, "document.json")
    assert [p.code for p in problems] == ["schema.disagreement"]


def test_format_refuses_what_validate_refuses(tmp_path: Path) -> None:
    raw = _corpus_with(tmp_path)
    path = raw / "alpha" / "annotations.json"
    text = path.read_text(encoding="utf-8")
    broken = text.replace('"start": 0,', '"start": 1e400,', 1)
    assert broken != text
    path.write_text(broken, encoding="utf-8")
    result = run_cli("format", path)
    assert result.returncode == 1
    assert path.read_text(encoding="utf-8") == broken, "nothing written"
    assert "Infinity" not in path.read_text(encoding="utf-8")


def test_card_lists_metadata_overrides_escaped() -> None:
    stats = CorpusStats()
    stats.documents["train"] = 1
    assert "### Metadata overrides" in card.statistics(stats) and "None." in card.statistics(stats).split("### Metadata overrides")[1]
    stats.overrides.append(("doc", "author", "Elena | Marsh", "byline\nmisprinted <b>"))
    section = card.statistics(stats).split("### Metadata overrides")[1]
    assert "| doc | author | Elena \\| Marsh | byline misprinted &lt;b&gt; |" in section


# --- importers and exporters are lossless or refuse -----------------------------------------


@pytest.mark.parametrize(
    ("note", "why"),
    [
        ("[" * 100_000 + "]" * 100_000, "deeper"),
        ('{"id": "M1", "id": "M2"}', "duplicate"),
        ('{"id": NaN}', "NaN"),
    ],
)
def test_brat_notes_are_read_with_the_strict_json_reader(note: str, why: str) -> None:
    from newsanno.convert import brat

    text = "Maria Lopez spoke.\n"
    ann = f"T1\tPERSON 0 11\tMaria Lopez\n#1\tAnnotatorNotes T1\t{brat.NOTE_PREFIX}{note}\n"
    annotations, problems = brat.import_ann(ann, text, "doc")
    assert annotations is None
    assert any(p.code == "brat.syntax" and "strict JSON" in p.message for p in problems), problems


def test_brat_export_refuses_what_it_cannot_read_back() -> None:
    from newsanno.convert import brat
    from newsanno.convert.record import Record, Span

    record = Record(spans=[Span("m1", "mention", 0, 9, "Maria\tLop", {"label": "PERSON", "form": "NAM"}, "M1")])
    _, problems = brat.write_ann(record)
    assert [p.code for p in problems] == ["brat.unwritable"] and problems[0].severity == "error"


def test_render_never_writes_through_a_link_in_its_output(small_corpus: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.html"
    outside.write_text("precious\n", encoding="utf-8")
    out = tmp_path / "review"
    out.mkdir()
    (out / "index.html").symlink_to(outside)
    result = run_cli("render", "--raw", small_corpus, "--out", out)
    assert outside.read_text(encoding="utf-8") == "precious\n"
    if result.returncode == 0:
        assert not (out / "index.html").is_symlink(), "the link itself was replaced, not written through"
    linked = tmp_path / "linked"
    linked.symlink_to(out, target_is_directory=True)
    refused = run_cli("render", "--raw", small_corpus, "--out", linked, "--force")
    assert refused.returncode == 1 and "[output.symlink]" in refused.stdout
