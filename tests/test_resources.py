"""Issue 22, class 5: resources.  A full or read-only file system under an output gives one line naming
the output and saying what is intact; a huge one-line text is tokenized within spaCy's limit; suggest
and adjudicate are near-linear; --num-proc is capped by the CPUs and the work."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import alpha, build, dump, run_cli


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _size(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


@contextlib.contextmanager
def tmpfs(where: Path, size: int) -> Iterator[Path]:
    """A small tmpfs mounted at ``where`` (root only; CI runs as root)."""
    where.mkdir(parents=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"needs root to mount a tmpfs (mount said: {mounted.stderr.strip()})")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=True)


def _read_only(where: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(where)], check=True)


def _one_line(result: subprocess.CompletedProcess[str], output: Path, intact: str, cause: str) -> None:
    lines = (result.stdout + result.stderr).strip().splitlines()
    assert result.returncode == 1, result.stdout + result.stderr
    assert len(lines) == 1 and lines[0].startswith(f"{output}: cannot write: {cause}"), lines
    assert intact in lines[0] and "Traceback" not in lines[0] and "internal error" not in lines[0]


def test_a_full_file_system_under_out_leaves_the_old_dataset_and_says_so(built: Path, corpus: Path, card: Path, tmp_path: Path) -> None:
    with tmpfs(tmp_path / "small", _size(built) * 3 // 2 + 64 * 1024) as fs:
        out = fs / "dataset"
        shutil.copytree(built, out)
        old = _tree(out)
        card.write_text(card.read_text(encoding="utf-8") + "\nA changed card.\n", encoding="utf-8")
        result = build(corpus, out, card)
        _one_line(result, out, "the old dataset/ is intact", "No space left on device [Errno 28]")
        assert _tree(out) == old and sorted(p.name for p in fs.iterdir()) == ["dataset"]


def test_a_read_only_file_system_under_out_leaves_the_old_dataset_and_says_so(
    built: Path, corpus: Path, card: Path, tmp_path: Path
) -> None:
    with tmpfs(tmp_path / "ro", 4 << 20) as fs:
        out = fs / "dataset"
        shutil.copytree(built, out)
        old = _tree(out)
        _read_only(fs)
        result = build(corpus, out, card)
        _one_line(result, out, "the old dataset/ is intact", "Read-only file system [Errno 30]")
        assert _tree(out) == old
        fresh = build(corpus, fs / "new" / "dataset", card)  # a parent that cannot be made, either
        _one_line(fresh, fs / "new" / "dataset", "no dataset/ was written", "Read-only file system [Errno 30]")


def test_file_outputs_on_a_read_only_or_full_file_system_get_one_line(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "fs", 256 * 1024) as fs:
        folder = fs / "alpha"
        folder.mkdir()
        (folder / "text.txt").write_text(alpha().text, encoding="utf-8")
        a, b = folder / "annotations.a.json", folder / "annotations.b.json"
        a.write_text(dump(alpha().annotations()), encoding="utf-8")
        b.write_text(dump(alpha().annotations()), encoding="utf-8")
        filler = fs / "filler"
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
        with contextlib.suppress(OSError):  # fill the file system to the last byte
            while os.write(fd, b"\0" * 4096):
                pass
        os.close(fd)
        result = run_cli("adjudicate", a, b, "--record", folder / "adjudication.json", "--out", folder / "merged.json")
        _one_line(result, folder / "adjudication.json", "nothing was written", "No space left on device [Errno 28]")
        filler.unlink()
        _read_only(fs)
        result = run_cli("adjudicate", a, b, "--record", folder / "adjudication.json")
        _one_line(result, folder / "adjudication.json", "nothing was written", "Read-only file system [Errno 30]")
        assert sorted(p.name for p in folder.iterdir()) == ["annotations.a.json", "annotations.b.json", "text.txt"]


def test_checkout_onto_a_full_file_system_keeps_nothing_and_says_so(tmp_path: Path) -> None:
    from conftest import ROOT

    with tmpfs(tmp_path / "fs", 64 * 1024) as fs:
        result = run_cli("checkout", "1.0.0", fs / "old", "--repo", ROOT)
        lines = result.stderr.strip().splitlines()
        assert result.returncode == 1 and len(lines) == 1, lines
        assert lines[0] == f"newsanno checkout: {fs / 'old'}: cannot write: No space left on device [Errno 28]; nothing of 1.0.0 was kept"
        assert list((fs / "old").iterdir()) == []


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS, errno.EDQUOT])
def test_a_write_refused_midway_through_a_build_keeps_the_old_dataset(
    built: Path, corpus: Path, card: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    """Without root: the failure injected where the builder writes its Parquet files."""
    from newsanno.builder import parquet

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(parquet.ShardWriter, "_flush", refuse)
    old = _tree(built)
    result = build(corpus, built, card)
    _one_line(result, built, "the old dataset/ is intact", f"{os.strerror(code)} [Errno {code}]")
    assert _tree(built) == old
    assert sorted(p.name for p in built.parent.iterdir() if p.name.startswith(".dataset")) == []


def test_a_one_line_text_longer_than_spacys_max_length_validates(tmp_path: Path) -> None:
    from conftest import DocBuilder, write_document

    text = ("Maria said the plan works. " * 45_000)[:1_200_000].rstrip() + "\n"  # one paragraph over 1,000,000
    write_document(tmp_path / "raw", DocBuilder("big", text), "train")
    result = run_cli("validate", "--raw", tmp_path / "raw", "--no-cache")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "internal error" not in result.stderr


def test_tokenizing_in_pieces_changes_no_token_and_no_sentence() -> None:
    import random

    from newsanno import tokens

    rnd = random.Random(22)
    words = [
        "Maria",
        "said",
        "the",
        "budget",
        "is",
        "balanced.",
        "It's",
        "\u201cfine,\u201d",
        "(yes)",
        "U.S.",
        "3%!",
        "why?",
        "e-mail",
        "\u00e9t\u00e9",
    ]
    for _ in range(200):
        text = "\n\n".join(" ".join(rnd.choice(words) for _ in range(rnd.randrange(1, 300))) for _ in range(rnd.randrange(1, 4)))
        whole, cut = tokens.tokenize(text, limit=10**9), tokens.tokenize(text, limit=rnd.randrange(20, 300))
        assert (cut.starts, cut.ends) == (whole.starts, whole.ends)
    # Sentence ends within the last tenth of every piece: the cuts fall between sentences.
    text = "Maria said the budget is balanced. " * 400 + "Then she left!\n\nA new paragraph, then more. " * 30
    whole, cut = tokens.tokenize(text, limit=10**9), tokens.tokenize(text, limit=400)
    assert cut == whole and len(whole.sentences) == 400 + 2 * 30
    one_token = "x" * 2_500  # no whitespace at all: cut, never refused
    split = tokens.tokenize(one_token, limit=1_000)
    assert [e - s for s, e in zip(split.starts, split.ends, strict=True)] == [1_000, 1_000, 500]


def test_num_proc_is_capped_by_the_cpus_and_the_work(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import multiprocessing.context

    from newsanno.builder import engines

    started: list[int] = []
    real = multiprocessing.context.ForkContext.Pool

    def spy(self, processes=None, *args, **kwargs):  # type: ignore[no-untyped-def]
        started.append(processes)
        return real(self, processes, *args, **kwargs)

    monkeypatch.setattr(multiprocessing.context.ForkContext, "Pool", spy)
    serial = run_cli("validate", "--raw", corpus, "--no-cache")
    wide = run_cli("validate", "--raw", corpus, "--no-cache", "--num-proc", "256")
    assert (wide.returncode, wide.stdout) == (serial.returncode, serial.stdout)
    documents = len(list(corpus.iterdir()))
    assert started in ([], [min(engines.cpus(), documents)])  # one CPU: no pool at all
    assert all(n <= min(engines.cpus(), documents) for n in started)
    assert engines.workers(256, 2) <= 2 and engines.workers(256, 0) == 1 and engines.workers(1, 500) == 1
    assert engines.workers(10**6, 10**6) == engines.cpus()


def _reference_free(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    return all(end <= a or b <= start for a, b in taken)


def test_suggest_matching_equals_the_plain_overlap_scan() -> None:
    import random

    from newsanno.contribute import suggest

    rnd = random.Random(5)
    pieces = ["12", "3,400", "$5 million", "7 percent", "2024", "March 2024", "Maria Lopez", "Lopez", "Acme", " ", ", ", ". "]
    for _ in range(300):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randrange(1, 60)))
        taken = [(s, s + 2) for s in sorted(rnd.sample(range(len(text)), min(3, len(text)))) if s + 2 <= len(text)]
        taken = [t for i, t in enumerate(taken) if _reference_free(taken[:i], *t)]
        expected, covered = [], list(taken)
        for label, pattern in suggest.PATTERNS:
            for m in pattern.finditer(text):
                if _reference_free(covered, m.start(), m.end()):
                    covered.append(m.span())
                    expected.append((m.start(), m.group(), label))
        assert suggest.pattern_matches(text, taken) == sorted(expected)


def test_suggest_is_near_linear_in_the_number_of_matches() -> None:
    """40,000 numbers: quadratic matching took minutes (10 s at 10,000); linear takes seconds."""
    from newsanno.contribute import suggest

    count = 40_000
    text = "".join(f"In {1900 + i % 100} some {i:,} people paid ${i} million. " for i in range(count // 3)) + "\n"
    out = suggest.suggest("d", text, {})
    assert len(out["mentions"]) == 3 * (count // 3)
    assert len({(m["start"], m["end"]) for m in out["mentions"]}) == len(out["mentions"])


def _reference_pairs(only_a: list[tuple[int, int]], only_b: list[tuple[int, int]]) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    pairs, taken = [], set()
    for sa in only_a:
        sb = next((s for s in only_b if s not in taken and s[0] < sa[1] and sa[0] < s[1]), None)
        if sb is not None:
            taken.add(sb)
            pairs.append((sa, sb))
    return pairs


def test_span_pairing_equals_the_plain_first_overlap_search() -> None:
    import random

    from newsanno.review.adjudicate import span_pairs

    rnd = random.Random(8)
    for _ in range(3_000):
        spans = {(s, s + rnd.randrange(1, 12)) for s in (rnd.randrange(0, 40) for _ in range(rnd.randrange(0, 16)))}
        side = {s: rnd.random() < 0.5 for s in spans}
        only_a, only_b = sorted(s for s in spans if side[s]), sorted(s for s in spans if not side[s])
        assert span_pairs(only_a, only_b) == _reference_pairs(only_a, only_b)


def _random_side(rnd: object, n: int, seed: int, noise: float) -> dict[str, object]:
    import random

    r = random.Random(seed)
    mentions = []
    for i in range(n):
        start = i * 10 + (r.randrange(1, 3) if r.random() < noise else 0)
        entity = f"E{r.randrange(max(1, n // 4))}" if r.random() < 0.7 else f"E{i}"
        form = "NAM" if r.random() < 0.5 else "NOM"
        mentions.append(
            {"id": f"M{i}", "entity_id": entity, "start": start, "end": start + 5, "text": "xxxxx", "label": "PERSON", "form": form}
        )
    entities = [{"id": e, "name": e, "type": "PERSON", "wikidata": None} for e in sorted({m["entity_id"] for m in mentions})]
    return {"document_id": "d", "entities": entities, "mentions": mentions, "quotes": [], "claims": [], "exceptions": []}


def _reference_cluster(mentions, va, vb, entries):  # type: ignore[no-untyped-def]
    """The plain computation the merge's clustering replaces: every joiner scans its entity."""
    from newsanno.disjoint import DisjointSets
    from newsanno.review.adjudication_merge import shared_clusters, text_order

    uf = DisjointSets(list(mentions))
    won = shared_clusters(uf, mentions, va, vb, entries)
    merged_at = {(side, orig): s for s, (_, side, orig, _) in mentions.items()}
    for s, (_, side, orig, _) in mentions.items():
        if side == "both":
            continue
        view = va if side == "a" else vb
        mates = [t for t in view.mentions if t != orig and view.entity_of[t] == view.entity_of[orig]]
        placed = [t for t in mates if t in won and t in mentions] + [merged_at[side, t] for t in mates if (side, t) in merged_at]
        good = [t for t in placed if t not in won or won[t] in (side, "both")]
        for t in good or placed[:1]:
            uf.union(s, t)
    return sorted((sorted(g, key=text_order) for g in uf.groups()), key=lambda g: text_order(g[0]))


def test_merge_clustering_equals_the_plain_scan_and_is_near_linear() -> None:
    import random

    from newsanno.review import adjudicate, adjudication_merge
    from newsanno.review.adjudicate import View

    rnd = random.Random(13)
    for case in range(400):
        n = rnd.randrange(1, 30)
        a, b = _random_side(rnd, n, 2 * case, 0.0), _random_side(rnd, n, 2 * case + 1, rnd.random())
        record, _ = adjudicate.update_record(adjudicate.new_record("d", "a", "b"), adjudicate.disagreements(a, b))  # type: ignore[arg-type]
        entries = {x["id"]: {**x, "decision": rnd.choice(["keep_a", "keep_b"]), "reason": "r"} for x in record["items"]}
        va, vb = View(a), View(b)  # type: ignore[arg-type]
        mentions = adjudication_merge._decide("mentions", va, vb, entries)
        assert adjudication_merge._cluster(mentions, va, vb, entries) == _reference_cluster(mentions, va, vb, entries), case
    # 24,000 mentions a side, a quarter of them off by a character or in another entity: the
    # quadratic scans took minutes here; a near-linear merge takes seconds.
    a, b = _random_side(rnd, 24_000, 1, 0.0), _random_side(rnd, 24_000, 2, 0.25)
    record, _ = adjudicate.update_record(adjudicate.new_record("d", "a", "b"), adjudicate.disagreements(a, b))  # type: ignore[arg-type]
    for item in record["items"]:
        item.update(decision="keep_b", reason="r")
    merged, lines = adjudication_merge.merge(a, b, record)  # type: ignore[arg-type]
    assert lines == [] and merged is not None and len(merged["mentions"]) == 24_000
