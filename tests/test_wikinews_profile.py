"""The ``wikinews`` source profile and ``newsanno add`` on Wikinews-layout articles the profile has not seen.

The fixture articles are written here in Wikinews's plain-text layout (headline, date line,
paragraphs and section headings, Categories line, Source line and licence statement); the
expected texts are spelled out by hand, never produced by the normalizer.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import WIKINEWS_FERRY as FERRY
from conftest import WIKINEWS_FERRY_TEXT as FERRY_TEXT
from conftest import WIKINEWS_FERRY_URL as URL
from conftest import WIKINEWS_LICENCE as LICENCE
from conftest import WIKINEWS_MARKET as MARKET
from conftest import dump, run_cli

from newsanno.contribute.add import add_document
from newsanno.corpus import profiles, splits
from newsanno.corpus.normalize import NormalizeError, normalize


def test_headings_stay_paragraphs_and_furniture_goes() -> None:
    result = normalize(FERRY, "wikinews")
    assert result.text == FERRY_TEXT
    assert (result.title, result.author, result.published, result.source_url) == (
        "Harbour ferry returns to service after storm repairs",
        "Wikinews contributors",
        "2025-03-05",
        URL,
    )
    assert "Categories:" not in result.text and "Source:" not in result.text and "Creative Commons" not in result.text


def test_wikinews_text_is_plain_not_markdown() -> None:
    assert normalize(MARKET, "wikinews").text == "A night market opened on the quay on Friday with *forty* stalls, organisers said.\n"
    # The same body under wsws (Markdown, broken lines rejoined) would lose the stars.
    assert "*" not in normalize("T\n\nAuthor\n14 June 2025\n\nWith *forty* stalls.\n", "wsws").text


@pytest.mark.parametrize(
    ("source", "at", "message"),
    [
        (
            FERRY.replace("Wednesday, March 5, 2025", "March 5, 2025"),
            "March 5, 2025",
            "'March 5, 2025' is not a date; expected a date like",
        ),
        (FERRY.replace("Wednesday, March 5, 2025", "By Ann Lee\nWednesday, March 5, 2025"), "By Ann Lee", "expected the date line alone"),
        (FERRY.replace(f"Source: {URL}\n", ""), LICENCE, "expected the last paragraph to be the source line"),
        (FERRY.replace(LICENCE, "All rights reserved."), "All rights reserved.", "expected the last paragraph to be the source line"),
    ],
)
def test_a_broken_wikinews_layout_is_an_error_naming_its_line(source: str, at: str, message: str) -> None:
    with pytest.raises(NormalizeError) as caught:
        normalize(source, "wikinews")
    line = source.split("\n").index(at) + 1  # the line the error must point at, found by search
    assert caught.value.line == line and message in str(caught.value) and "(profile wikinews)" in str(caught.value)


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    folder = tmp_path / "raw"
    folder.mkdir()
    return folder


def test_add_writes_the_wikinews_document(tmp_path: Path, raw: Path) -> None:
    source = tmp_path / "ferry.txt"
    source.write_bytes(FERRY.encode("utf-8"))
    result = run_cli("add", source, "--profile", "wikinews", "--id", "wikinews-2025-03-05-ferry", "--split", "test", "--raw", raw)
    assert result.returncode == 0, result.stderr
    folder = raw / "wikinews-2025-03-05-ferry"
    assert (folder / "source.txt").read_bytes() == FERRY.encode("utf-8")
    assert (folder / "text.txt").read_bytes() == FERRY_TEXT.encode("utf-8")
    meta = json.loads((folder / "document.json").read_text(encoding="utf-8"))
    notice = (
        f'"Harbour ferry returns to service after storm repairs", {URL}, by Wikinews contributors, Wikinews, the free news source; '
        "licensed under the Creative Commons Attribution 2.5 licence (https://creativecommons.org/licenses/by/2.5/). "
        "The text is unchanged apart from the page layout (headline, date line, categories and source lines taken out of text.txt)."
    )
    assert meta == {
        "id": "wikinews-2025-03-05-ferry",
        "title": "Harbour ferry returns to service after storm repairs",
        "author": "Wikinews contributors",
        "published": "2025-03-05",
        "publisher": "Wikinews",
        "language": "en",
        "source_url": URL,
        "split": "test",
        "source_sha256": hashlib.sha256(FERRY.encode("utf-8")).hexdigest(),
        "text_sha256": hashlib.sha256(FERRY_TEXT.encode("utf-8")).hexdigest(),
        "rights": {"text": "CC-BY-2.5", "notice": notice, "annotations": "CC-BY-4.0"},
        "profile": "wikinews",
    }
    assert run_cli("validate", "--raw", raw).returncode == 0


def test_validate_derives_source_url_from_the_source_line(tmp_path: Path, raw: Path) -> None:
    source = tmp_path / "market.txt"
    source.write_text(MARKET, encoding="utf-8")
    added = add_document(source, raw, profile="wikinews", split="train")
    assert added.folder is not None, added.problems
    meta = json.loads((added.folder / "document.json").read_text(encoding="utf-8"))
    meta["source_url"] = "https://en.wikinews.org/wiki/Another_article"
    (added.folder / "document.json").write_text(dump(meta), encoding="utf-8")
    result = run_cli("validate", "--raw", raw, "--no-cache")
    assert result.returncode == 1
    assert "document.json: error [derive.field] /source_url: source_url 'https://en.wikinews.org/wiki/Another_article' differs" in (
        result.stdout
    )


def test_add_without_split_takes_it_from_the_id(tmp_path: Path, raw: Path) -> None:
    source = tmp_path / "market.txt"
    source.write_text(MARKET, encoding="utf-8")
    # Ids chosen so that each rule of int(sha256(id)[:8], 16) % 10 is exercised; the digits are checked here, independently.
    cases = {"wikinews-market-8": "test", "wikinews-market-6": "validation", "wikinews-market-0": "train"}
    for doc_id, split in cases.items():
        digit = int(hashlib.sha256(doc_id.encode()).hexdigest()[:8], 16) % 10
        assert {0: "test", 1: "validation"}.get(digit, "train") == split, (doc_id, digit)
        result = run_cli("add", source, "--profile", "wikinews", "--id", doc_id, "--raw", raw)
        assert result.returncode == 0, result.stderr
        assert json.loads((raw / doc_id / "document.json").read_text(encoding="utf-8"))["split"] == split
        assert splits.split_of_id(doc_id) == split


def test_add_checks_the_folder_with_the_validator_before_writing(tmp_path: Path, raw: Path) -> None:
    source = tmp_path / "bell.txt"
    source.write_text(MARKET.replace("forty", "forty\x07"), encoding="utf-8")
    result = run_cli("add", source, "--profile", "wikinews", "--id", "wikinews-bell", "--raw", raw)
    assert result.returncode == 1 and result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith(f"{raw}/wikinews-bell/text.txt:1:") and "error [text.control]" in line and "nothing was written" in line
    assert list(raw.iterdir()) == [] and sorted(p.name for p in tmp_path.iterdir()) == ["bell.txt", "raw"]


@pytest.fixture
def profile_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A profiles folder of its own, holding a copy of wikinews.json to break."""
    folder = tmp_path / "profiles"
    folder.mkdir()
    shutil.copy(profiles.profiles_dir() / "wikinews.json", folder / "wikinews.json")
    monkeypatch.setattr(profiles, "profiles_dir", lambda: folder)
    profiles.load.cache_clear()
    yield folder
    profiles.load.cache_clear()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"source_url": {"pattern": "^Source: (?P<address>\\S+)", "required": True}},
            "/source_url/pattern: the pattern has no named group 'url'",
        ),
        ({"footer_patterns": ["^Categories: ("]}, "/footer_patterns/0: not a regular expression"),
        ({"source_url": None}, "/rights/notice: {source_url} needs a source_url whose required is true"),
        ({"rejoin_broken_paragraphs": "no"}, "/rejoin_broken_paragraphs: 'no' is not of type 'boolean'"),
    ],
)
def test_a_broken_profile_is_refused_with_its_pointer(profile_dir: Path, change: dict[str, object], message: str) -> None:
    path = profile_dir / "wikinews.json"
    path.write_text(json.dumps({**json.loads(path.read_text(encoding="utf-8")), **change}), encoding="utf-8")
    with pytest.raises(profiles.ProfileError) as caught:
        profiles.load("wikinews")
    assert str(caught.value).startswith(f"profile {path}: {message}"), str(caught.value)
