"""Token alpha and check-worthiness kappa against hand-computed values; the card's summary; the review section."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ALPHA_TEXT, DocBuilder, alpha, dump, run_cli, write_document
from test_adjudicate import decide_all, variant

from newsanno.publish.agreement_summary import agreement_summary
from newsanno.review import agreement as ag
from newsanno.review.adjudication_view import adjudication_panel
from newsanno.review.render import render_document
from newsanno.validate import load_document

TEXT = "Maria Lopez visited Paris today .\n"


def _doc(labels: dict[str, str]) -> dict:  # type: ignore[type-arg]
    b = DocBuilder("t", TEXT)
    for i, (needle, label) in enumerate(labels.items(), 1):
        b.entity(f"E{i}", needle, label)
        b.mention(f"M{i}", f"E{i}", needle)
    return b.annotations()


def test_token_alpha_hand_computed() -> None:
    # Tokens: Maria Lopez visited Paris today .  A: P P O G D O;  B: P P O G O O.
    # Coincidences: PP 4, OO 4, GG 2, DO 1, OD 1 (n = 12); n_P 4, n_O 5, n_G 2, n_D 1.
    # D_o = 2/12; D_e = (144 - 16 - 25 - 4 - 1) / (12 * 11) = 98/132; alpha = 1 - D_o/D_e = 38/49.
    a = _doc({"Maria Lopez": "PERSON", "Paris": "GPE", "today": "DATE"})
    b = _doc({"Maria Lopez": "PERSON", "Paris": "GPE"})
    assert ag.token_alpha(a, b, TEXT) == pytest.approx(38 / 49)  # type: ignore[arg-type]
    assert ag.token_alpha(a, a, TEXT) == pytest.approx(1.0)  # type: ignore[arg-type]
    assert ag.token_labels(a, TEXT, [0, 6, 12, 20, 26, 32]) == ["PERSON", "PERSON", "O", "GPE", "DATE", "O"]  # type: ignore[arg-type]
    empty = _doc({})
    assert ag.token_alpha(empty, empty, TEXT) is None  # type: ignore[arg-type]


def test_innermost_mention_labels_the_token() -> None:
    b = DocBuilder("t", ALPHA_TEXT)
    b.entity("E1", "the mayor of Springfield", "PERSON")
    b.entity("E2", "Springfield", "GPE")
    b.mention("M1", "E1", "the mayor of Springfield", form="NOM")
    b.mention("M2", "E2", "Springfield")
    start = ALPHA_TEXT.index("Springfield")
    mayor = ALPHA_TEXT.index("mayor")
    assert ag.token_labels(b.annotations(), ALPHA_TEXT, [mayor, start]) == ["PERSON", "GPE"]  # type: ignore[arg-type]


def test_checkworthiness_kappa_hand_computed() -> None:
    # Pairs (A, B): CFS/CFS, CFS/UFS, UFS/UFS, CFS/CFS: observed 3/4; chance (3*2 + 1*2)/16 = 1/2; kappa 1/2.
    text = "One. Two. Three. Four.\n"

    def claims(classes: list[str]) -> dict:  # type: ignore[type-arg]
        b = DocBuilder("t", text)
        for i, (needle, cls) in enumerate(zip(["One", "Two", "Three", "Four"], classes, strict=True), 1):
            b.claim(f"C{i}", needle, None, cls)
        return b.annotations()

    a, b = claims(["CFS", "CFS", "UFS", "CFS"]), claims(["CFS", "UFS", "UFS", "CFS"])
    assert ag.checkworthiness_kappa(a, b) == pytest.approx(0.5)  # type: ignore[arg-type]
    assert ag.agreement(a, b)["claims"]["checkworthiness_kappa"] == pytest.approx(0.5)  # type: ignore[arg-type]
    assert "token_alpha" not in ag.agreement(a, b)["mentions"]  # type: ignore[arg-type]


def test_agreement_cli_reads_the_text_for_token_alpha(tmp_path: Path) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(dump(_doc({"Maria Lopez": "PERSON", "Paris": "GPE", "today": "DATE"})), encoding="utf-8")
    b.write_text(dump(_doc({"Maria Lopez": "PERSON", "Paris": "GPE"})), encoding="utf-8")
    (tmp_path / "text.txt").write_text(TEXT, encoding="utf-8")
    result = run_cli("agreement", a, b, "--format", "json", "--text", tmp_path / "text.txt")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["mentions"]["token_alpha"] == pytest.approx(38 / 49)


@pytest.fixture
def adjudicated(tmp_path: Path) -> Path:
    """A raw corpus whose alpha document has A, B and a decided record."""
    raw = tmp_path / "raw"
    folder = write_document(raw, alpha(), "train")
    a, b = alpha().annotations(), variant().annotations()
    (folder / "annotations.a.json").write_text(dump(a), encoding="utf-8")
    (folder / "annotations.b.json").write_text(dump(b), encoding="utf-8")
    record = decide_all(a, b, "keep_a")  # type: ignore[arg-type]
    for item in record["items"][:4]:
        item["decision"] = "keep_b"
    record["date"] = "2026-12-03"
    (folder / "adjudication.json").write_text(dump(record), encoding="utf-8")
    return raw


def test_agreement_summary(adjudicated: Path) -> None:
    summary = agreement_summary(adjudicated)
    assert summary["documents"] == ["alpha"] and summary["date"] == "2026-12-03" and summary["open"] == 0
    assert sum(summary["items_by_class"].values()) == 15 and summary["items_by_class"]["coref.entity"] == 1
    assert summary["items_by_decision"] == {"keep_a": 11, "keep_b": 4}
    assert sum(summary["changes_by_layer"].values()) == 4
    direct = ag.agreement(alpha().annotations(), variant().annotations(), ALPHA_TEXT)  # type: ignore[arg-type]
    figures = summary["figures"]
    assert figures["mentions"]["span_f1"] == direct["mentions"]["exact"]["f1"]
    assert figures["mentions"]["token_alpha"] == pytest.approx(direct["mentions"]["token_alpha"])
    assert figures["coreference"]["conll_f1"] == pytest.approx(direct["coreference"]["conll_f1"])
    assert figures["claims"]["claimant_agreement"] == direct["claims"]["claimant_agreement"]
    assert "guidelines" in summary["caveat"].lower()


def test_review_page_lists_open_items(adjudicated: Path) -> None:
    folder = adjudicated / "alpha"
    record = json.loads((folder / "adjudication.json").read_text(encoding="utf-8"))
    record["items"][0].update(decision=None, reason=None, text="<script>alert(1)</script>")
    doc, problems = load_document(folder)
    assert doc is not None, problems
    page = render_document(doc, record)
    assert "Adjudication: 1 open of 15" in page and f'data-adjudication-item="{record["items"][0]["id"]}"' in page
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page
    assert page.count("data-adjudication-item=") == 1
    assert adjudication_panel(None) == "" and "Adjudication" not in render_document(doc)
    result = run_cli("render", "--raw", adjudicated, "--out", adjudicated.parent / "review")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Adjudication: 0 open of 15" in (adjudicated.parent / "review" / "alpha.html").read_text(encoding="utf-8")


def test_card_shows_the_agreement_of_the_committed_files(tmp_path: Path) -> None:
    """The card's figures are the agreement command's on annotations.a.json vs annotations.b.json.

    Built from the seed's folder alone, so the figures are one document's whatever else raw/ holds
    (the card pools every double-annotated document).
    """
    import json
    import subprocess
    import sys

    from conftest import CARD_TEXT, ROOT, SEED_ID, build, copy_seed

    raw = copy_seed(tmp_path / "raw")
    folder = raw / SEED_ID
    (tmp_path / "CARD.md").write_text(CARD_TEXT, encoding="utf-8")
    built = build(raw, tmp_path / "out", tmp_path / "CARD.md", "--no-cache")
    assert built.returncode == 0, built.stdout + built.stderr
    out = subprocess.run(
        [sys.executable, "-m", "newsanno", "agreement", folder / "annotations.a.json", folder / "annotations.b.json", "--format", "json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    ).stdout
    report = json.loads(out)
    card = (tmp_path / "out" / "README.md").read_text(encoding="utf-8")
    section = card.split("## Annotation process and agreement", 1)[1].split("\n## ", 1)[0]
    expected = {
        "mention span F1 (exact)": report["mentions"]["exact"]["f1"],
        "coreference CoNLL F1 (MUC, B-cubed, CEAFe)": report["coreference"]["conll_f1"],
        "quote span F1 (exact)": report["quotes"]["exact"]["f1"],
        "claim span F1 (exact)": report["claims"]["exact"]["f1"],
        "claimant agreement (matched claims)": report["claims"]["claimant_agreement"],
    }
    for label, value in expected.items():
        assert f"| {label} | {value:.3f} |" in section, label
    record = json.loads((folder / "adjudication.json").read_text(encoding="utf-8"))
    assert f"decided on {record['date']}" in section
    assert f"| keep_b | {sum(x['decision'] == 'keep_b' for x in record['items'])} |" in section
