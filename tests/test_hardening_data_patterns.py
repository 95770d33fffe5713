"""Issue 22, class 1: data files that are programs in disguise.

Every regular expression that comes from a file (a profile's footer, dateline or source line; a
schema's ``pattern``/``patternProperties``; an old revision's schema read by ``diff``) runs on RE2,
in time linear in the text; a pattern RE2 cannot run, a profile that is not JSON and a revision
schema that is not a valid JSON Schema each get one located line and exit 1, never exit 3.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import ROOT, git, run_cli

from newsanno import patterns, schema
from newsanno.corpus import profiles

# Catastrophic on a backtracking engine (2**60 paths before it fails), nothing on RE2.
EVIL = "^(a+)+$"
VICTIM = "a" * 60 + "!"
# A hang detector, not a timing: the backtracking version never returns at all.
HANG = 120


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=HANG, cwd=ROOT)


# --- the engine -----------------------------------------------------------------------------------


def test_the_engine_runs_catastrophic_patterns_in_linear_time() -> None:
    done = _python(
        f"""
        from newsanno import patterns
        for p in ({EVIL!r}, "^(a|aa)+$", "^(a|a?)+$", "(x+x+)+y", "^(\\\\w+\\\\s?)*$"):
            assert patterns.search(p, {VICTIM!r} * 50) is False, p
        print("ok")
        """
    )
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr


@pytest.mark.parametrize("pattern", ["(?=a)b", "(?<=a)b", "(?!a)b", "(a)\\1", "(", "a{2,1}", "[z-a]", "\\S[\\S]"])
def test_a_pattern_the_engine_cannot_run_is_refused_at_compile_time(pattern: str, capfd: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(patterns.PatternError, match="not a regular expression the linear-time engine"):
        patterns.compile(pattern)
    assert capfd.readouterr().err == ""  # RE2's own logging is off: the caller reports, located


def test_ecma_semantics_where_they_differ_from_python() -> None:
    assert not patterns.search("^CC-BY-4.0$", "CC-BY-4.0\n")  # $ is the end, not before a final \n
    assert patterns.search("\\S", "x") and not patterns.search("\\S", "\u00a0\u2028\ufeff \t")
    assert patterns.search("^\\s$", "\u3000") and patterns.search("^[\\s,]+$", ", \u00a0")
    assert not patterns.search("^\\d$", "\u0663")  # ECMA's \d is ASCII
    assert patterns.compile("^(?P<a>x)(?<b>y)$").match("xy")["b"] == "y"  # both named-group spellings


def test_the_explaining_and_the_compiled_validator_agree_on_white_space() -> None:
    """A reason of blanks only is refused by both validators (the explainer runs on RE2 with ECMA's \\s)."""
    instance = {"pattern": "\\S"}
    for value, ok in (("\u00a0", False), ("\u2028 ", False), ("a", True)):
        assert (not list(schema.validator_of(instance).iter_errors(value))) is ok, value


def test_every_shipped_schema_and_profile_runs_on_the_engine() -> None:
    for path in sorted((ROOT / "schema").glob("*.schema.json")):
        schema.check_runnable(json.loads(path.read_text(encoding="utf-8")))
    for name in profiles.names():
        profiles.load.cache_clear()
        profiles.load(name)


def test_pattern_properties_and_additional_properties_run_on_the_engine() -> None:
    done = _python(
        f"""
        from newsanno import schema
        v = schema.validator_of({{"type": "object", "patternProperties": {{{EVIL!r}: {{"type": "integer"}}}}, "additionalProperties": False}})
        errors = [e.message for e in v.iter_errors({{{VICTIM!r}: 1, "aaa": "x"}})]
        assert any("unexpected" in m for m in errors) and any("not of type" in m for m in errors), errors
        print("ok")
        """
    )
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr


# --- profiles -------------------------------------------------------------------------------------


def _change(folder: Path, **change: object) -> Path:
    path = folder / "plain.json"
    path.write_text(json.dumps({**json.loads(path.read_text(encoding="utf-8")), **change}), encoding="utf-8")
    return path


def test_a_catastrophic_footer_does_not_hang_add(tmp_path: Path) -> None:
    """The issue's example: footer ^(a+)+$ against a last paragraph of sixty a's and a '!'."""
    source = tmp_path / "story.txt"
    source.write_text(f"A headline\n\nBy Ann Lee\nMarch 3, 2025\n\nThe body.\n\n{VICTIM}\n", encoding="utf-8")
    done = _python(
        f"""
        import json, shutil
        from pathlib import Path
        from newsanno.corpus import profiles
        from newsanno.corpus.normalize import normalize
        folder = Path({str(tmp_path / "p")!r}); folder.mkdir()
        data = json.loads((profiles.profiles_dir() / "plain.json").read_text(encoding="utf-8"))
        data["footer_patterns"] = [{EVIL!r}, "^(a|aa)+!$"]
        (folder / "plain.json").write_text(json.dumps(data), encoding="utf-8")
        profiles.profiles_dir = lambda: folder
        norm = normalize(Path({str(source)!r}).read_text(encoding="utf-8"), "plain")
        print(json.dumps(norm.text))
        """
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == "The body.\n"  # the second footer pattern matched and dropped it


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"footer_patterns": ["^(?=To contact)"]}, "/footer_patterns/0"),
        ({"footer_patterns": ["ok", "^(x)\\1$"]}, "/footer_patterns/1"),
        ({"footer_patterns": ["^[unclosed"]}, "/footer_patterns/0"),
        (
            {"dateline": {"pattern": "^(?<![A-Z])(?P<month>[A-Z][a-z]+) (?P<day>[0-9]+) ", "month_format": "%B"}},
            "/dateline/pattern",
        ),
    ],
)
def test_a_pattern_the_engine_cannot_run_is_a_located_profile_error(profile_dir: Path, change: dict[str, object], where: str) -> None:
    path = _change(profile_dir, **change)
    with pytest.raises(profiles.ProfileError) as caught:
        profiles.load("plain")
    assert str(caught.value).startswith(f"profile {path}: {where}: not a regular expression"), str(caught.value)


@pytest.mark.parametrize(
    ("content", "where"),
    [
        (b'{"name": "plain",', ":1:18: not JSON"),
        (b'{"name": "plain"} trailing', ":1:19: not JSON"),
        (b'{"name": "caf\xe9"}', ": byte 13: not UTF-8"),
        (b"[" * 100_000 + b"]" * 100_000, ": not JSON this reader accepts: nested too deeply"),
    ],
)
def test_a_profile_that_is_not_json_is_one_located_line(profile_dir: Path, content: bytes, where: str, tmp_path: Path) -> None:
    path = profile_dir / "plain.json"
    path.write_bytes(content)
    with pytest.raises(profiles.ProfileError) as caught:
        profiles.load("plain")
    assert str(caught.value).startswith(f"profile {path}{where}"), str(caught.value)
    # Through the command line: one line, exit 1, nothing written.
    source = tmp_path / "story.txt"
    source.write_text("A headline\n\nBy Ann Lee\nMarch 3, 2025\n\nThe body.\n", encoding="utf-8")
    raw = tmp_path / "raw"
    raw.mkdir()
    profiles.load.cache_clear()
    done = run_cli("add", source, "--raw", raw, "--profile", "plain", "--publisher", "P", "--split", "train")
    assert done.returncode == 1, done.stderr
    assert f"profile {path}{where}" in done.stderr and "internal error" not in done.stderr
    assert list(raw.iterdir()) == []


def test_a_profile_that_is_a_link_or_a_pipe_is_refused(profile_dir: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.json"
    shutil.move(profile_dir / "plain.json", outside)
    (profile_dir / "plain.json").symlink_to(outside)
    with pytest.raises(profiles.ProfileError, match="not a regular file"):
        profiles.load("plain")
    (profile_dir / "plain.json").unlink()
    os.mkfifo(profile_dir / "plain.json")
    profiles.load.cache_clear()
    with pytest.raises(profiles.ProfileError, match="not a regular file"):
        profiles.load("plain")


# --- old revisions' schemas, read by diff ------------------------------------------------------------


def _commit_schema(corpus_repo: Path, change: object, *, raw: bytes | None = None) -> None:
    path = corpus_repo / "schema" / "document.schema.json"
    if raw is not None:
        path.write_bytes(raw)
    else:
        value = json.loads(path.read_text(encoding="utf-8"))
        change(value)  # type: ignore[operator]
        path.write_text(json.dumps(value, indent=2), encoding="utf-8")
    git(corpus_repo, "commit", "-q", "-am", "hostile schema")


def _diff(corpus_repo: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsanno", "diff", "HEAD~1", "HEAD", "--repo", str(corpus_repo)],
        capture_output=True,
        text=True,
        timeout=HANG,
        cwd=ROOT,
    )


def test_an_old_revisions_catastrophic_title_pattern_does_not_hang_diff(corpus_repo: Path) -> None:
    """The issue's example: the revision's own schema asks the title to match ^(a+)+$, and a title is sixty a's and '!'."""
    folder = next(p for p in sorted((corpus_repo / "raw").iterdir()))
    meta = json.loads((folder / "document.json").read_text(encoding="utf-8"))
    (folder / "document.json").write_text(json.dumps({**meta, "title": VICTIM}, indent=2) + "\n", encoding="utf-8")
    _commit_schema(corpus_repo, lambda s: s["properties"]["title"].update(pattern=EVIL))
    done = _diff(corpus_repo)
    assert done.returncode == 1, done.stderr
    assert f"HEAD:raw/{folder.name}/document.json: error [schema.pattern] /title" in done.stderr


def _set_pattern(pattern: str) -> object:
    return lambda s: s["properties"]["title"].update(pattern=pattern)


@pytest.mark.parametrize(
    ("change", "raw", "expected"),
    [
        (_set_pattern("^(?!Breaking)"), None, "/properties/title/pattern: not a regular expression the linear-time engine"),
        (_set_pattern("(t)\\1"), None, "/properties/title/pattern: not a regular expression the linear-time engine"),
        (lambda s: s["properties"]["title"].update(type=5), None, "/properties/title/type: not a valid JSON Schema"),
        (lambda s: s.update(required="id"), None, "/required: not a valid JSON Schema"),
        (lambda s: s.update(patternProperties={"^(?=x)": {}}), None, "/patternProperties/^(?=x): not a regular expression"),
        (None, b'{"type": "object",', "HEAD:schema/document.schema.json:1:"),
        (None, b'{"title": "caf\xe9"}', "HEAD:schema/document.schema.json:1:"),
        (None, b"[" * 5000 + b"]" * 5000, "HEAD:schema/document.schema.json"),
    ],
)
def test_a_revision_schema_that_cannot_run_is_one_located_line(corpus_repo: Path, change: object, raw: bytes | None, expected: str) -> None:
    _commit_schema(corpus_repo, change, raw=raw)
    done = _diff(corpus_repo)
    assert done.returncode == 1, (done.returncode, done.stderr)
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr
    assert "HEAD:schema/document.schema.json" in done.stderr and expected in done.stderr, done.stderr
    assert done.stdout == ""
