"""Property-based tests: randomly mutated annotation files never crash the validator, and whatever it accepts builds.

Each example takes one valid fixture document, mutates its ``annotations.json`` (as JSON:
delete, replace, insert keys, swap types, shift offsets, duplicate items and ids, random
unicode; then possibly as bytes: truncate, splice in random bytes, prepend a BOM) and runs the
real per-document pipeline in this process.  It must return problems, never raise; a document
it accepts must build with ``newsanno build`` into Parquet files that pyarrow reads back with
the rows the pipeline made.

Examples are derandomized by default so CI is reproducible; ``HYPOTHESIS_PROFILE=explore``
draws fresh random examples (and keeps failures in .hypothesis/).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from conftest import FIXTURES, alpha, build, run_cli, write_document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsanno.builder.pipeline import process
from newsanno.validate import DEFAULT_LIMITS

_COMMON = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large]}
settings.register_profile("ci", max_examples=70, derandomize=True, database=None, **_COMMON)
settings.register_profile("explore", max_examples=400, **_COMMON)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")

Path_ = tuple[str | int, ...]

json_leaf = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
)
json_value = st.recursive(
    json_leaf, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3), max_leaves=6
)
# Text that stresses offsets and encodings: combining marks, astral characters, lone surrogates, controls.
hostile_text = st.text(
    alphabet=st.sampled_from(["a", "Z", " ", "\n", "\r", "\u0301", "\u200d", "\U0001f600", "\ud800", "\x00", "\ufeff", "é", '"']),
    max_size=10,
) | st.text(max_size=10)


def nodes(value: Any, path: Path_ = ()) -> list[Path_]:
    """Paths of every node of a JSON value, the root included."""
    found = [path]
    if isinstance(value, dict):
        for key, child in value.items():
            found += nodes(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += nodes(child, (*path, index))
    return found


def get(value: Any, path: Path_) -> Any:
    for part in path:
        value = value[part]
    return value


def mutate(data: st.DataObject, doc: dict[str, Any]) -> None:
    """Apply one random structural mutation to ``doc`` in place."""
    path = data.draw(st.sampled_from(nodes(doc)))
    target = get(doc, path)
    parent = get(doc, path[:-1]) if path else None
    op = data.draw(st.sampled_from(["delete", "replace", "insert", "shift", "duplicate", "swap_type", "text"]))
    if op == "delete" and parent is not None:
        del parent[path[-1]]
    elif op == "replace" and parent is not None:
        parent[path[-1]] = data.draw(json_value)
    elif op == "insert" and isinstance(target, dict):
        target[data.draw(st.sampled_from(["id", "start", "end", "text", "extra", "cue", data.draw(st.text(max_size=5))]))] = data.draw(
            json_value
        )
    elif op == "insert" and isinstance(target, list):
        target.insert(data.draw(st.integers(0, len(target))), data.draw(json_value))
    elif op == "shift" and isinstance(target, int) and parent is not None:
        parent[path[-1]] = target + data.draw(st.integers(-5, 5) | st.integers(-(2**40), 2**40))
    elif op == "duplicate" and isinstance(target, list) and target:
        # Same item twice: duplicate ids, duplicate spans.
        target.append(json.loads(json.dumps(data.draw(st.sampled_from(target)))))
    elif op == "swap_type" and parent is not None:
        swaps = {
            bool: lambda v: int(v),
            int: lambda v: str(v) if data.draw(st.booleans()) else bool(v),
            str: lambda v: [v],
            type(None): lambda v: 0,
        }
        change = swaps.get(type(target), lambda v: None)
        parent[path[-1]] = change(target)
    elif op == "text" and isinstance(target, str) and parent is not None:
        parent[path[-1]] = data.draw(hostile_text)


def serialize(data: st.DataObject, doc: dict[str, Any]) -> bytes:
    """The mutated value as bytes, possibly broken at the byte level too."""
    text = json.dumps(doc, ensure_ascii=data.draw(st.booleans()), indent=data.draw(st.sampled_from([None, 2])))
    raw = text.encode("utf-8", "surrogatepass")  # a lone surrogate becomes invalid UTF-8
    op = data.draw(st.sampled_from(["none", "none", "none", "truncate", "splice", "bom"]))
    if op == "truncate":
        raw = raw[: data.draw(st.integers(0, len(raw)))]
    elif op == "splice":
        at = data.draw(st.integers(0, len(raw)))
        raw = raw[:at] + data.draw(st.binary(min_size=1, max_size=8)) + raw[at:]
    elif op == "bom":
        raw = b"\xef\xbb\xbf" + raw
    return raw


def parquet_rows(out: Path, config: str) -> int:
    return sum(pq.read_table(path).num_rows for path in sorted((out / "data" / config).glob("*.parquet")))


@settings(settings.get_profile(PROFILE))
@given(data=st.data(), name=st.sampled_from(sorted(FIXTURES)))
def test_mutated_annotations_never_crash_and_accepted_ones_build(data: st.DataObject, name: str) -> None:
    make, split = FIXTURES[name]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        folder = write_document(root / "raw", make(), split)
        doc = json.loads((folder / "annotations.json").read_text(encoding="utf-8"))
        for _ in range(data.draw(st.integers(1, 3))):
            mutate(data, doc)
        (folder / "annotations.json").write_bytes(serialize(data, doc))

        result = process(folder, DEFAULT_LIMITS, with_rows=True)  # must not raise

        for problem in result.problems:
            assert problem.file and problem.message and problem.code, problem
        # What the library refuses, the command refuses too, naming each error's rule; what it accepts passes.
        checked = run_cli("validate", "--raw", root / "raw", "--no-cache")
        assert checked.returncode == (0 if result.ok else 1), checked.stdout + checked.stderr
        for code in {p.code for p in result.problems if p.severity == "error"}:
            assert f"error [{code}]" in checked.stdout, (code, checked.stdout)
        if not result.ok:
            assert result.problems, "a refused document says why"
            return
        card = root / "CARD.md"
        card.write_text("# Card\n", encoding="utf-8")
        built = build(root / "raw", root / "out", card, "--no-cache", "--quiet")
        assert built.returncode == 0, built.stdout + built.stderr
        for config, rows in result.rows.items():
            assert parquet_rows(root / "out", config) == len(rows), config


@settings(settings.get_profile(PROFILE), max_examples=settings.get_profile(PROFILE).max_examples * 4)
@given(data=st.data(), name=st.sampled_from(sorted(FIXTURES)))
def test_mutated_annotations_never_crash_the_validator(data: st.DataObject, name: str) -> None:
    """Many more examples of the validation alone (cheap: no build), with several mutations each."""
    make, split = FIXTURES[name]
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_document(Path(tmp) / "raw", make(), split)
        doc = json.loads((folder / "annotations.json").read_text(encoding="utf-8"))
        for _ in range(data.draw(st.integers(1, 6))):
            mutate(data, doc)
        (folder / "annotations.json").write_bytes(serialize(data, doc))
        result = process(folder, DEFAULT_LIMITS, with_rows=False)  # must not raise
        assert result.ok or any(p.severity == "error" for p in result.problems)


def test_regression_lone_surrogate_escape_is_an_error_not_a_crash(tmp_path: Path) -> None:
    """Found by the property test: a JSON escape of a lone surrogate crashed the schema check (UnicodeEncodeError)."""
    folder = write_document(tmp_path / "raw", alpha(), "train")
    raw = (folder / "annotations.json").read_bytes()
    (folder / "annotations.json").write_bytes(raw.replace(b'"document_id": "alpha"', b'"document_id": "\\ud800"', 1))
    assert b"\\ud800" in (folder / "annotations.json").read_bytes()

    result = run_cli("validate", "--raw", tmp_path / "raw", "--no-cache", folder)

    assert result.returncode == 1, result.stdout + result.stderr
    assert "internal error" not in result.stderr
    line = next(x for x in result.stdout.splitlines() if "[encoding.surrogate]" in x)
    assert "annotations.json:2:" in line and "/document_id" in line, line
