"""Agreement figures against hand-computed answers and the literature's worked example."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ALPHA_TEXT, DocBuilder, alpha, dump, gamma, run_cli

from newsanno.cli import main
from newsanno.review import agreement as ag


def approx(x: float) -> object:
    return pytest.approx(x, abs=1e-9)


# --- Pradhan et al. 2014, "Scoring Coreference Partitions of Predicted Mentions", Figure/Section 2 example:
# key K = {a,b,c}, {d,e,f,g}; response R = {a,b}, {c,d}, {f,g,h,i}.
def _letters(groups: list[str]) -> ag.Clusters:
    return [frozenset((ord(c), ord(c) + 1) for c in g) for g in groups]


KEY = _letters(["abc", "defg"])
RESPONSE = _letters(["ab", "cd", "fghi"])


def test_muc_worked_example() -> None:
    # Recall: {a,b,c} splits into {a,b},{c} -> 3-2 = 1; {d,e,f,g} into {d},{e},{f,g} -> 4-3 = 1; over (2+3): 2/5.
    # Precision: {a,b} -> 1; {c,d} -> 2-2 = 0; {f,g,h,i} -> {f,g},{h},{i} -> 1; over (1+1+3): 2/5.  F1 = 0.4.
    s = ag.muc(KEY, RESPONSE)
    assert s["recall"] == approx(2 / 5) and s["precision"] == approx(2 / 5) and s["f1"] == approx(0.4)


def test_b_cubed_worked_example() -> None:
    # Recall: (2^2/3 + 1^2/3 + 1^2/4 + 2^2/4) / 7 = (5/3 + 5/4)/7 = 5/12.
    # Precision: (2^2/2 + 1^2/2 + 1^2/2 + 2^2/4) / 8 = 4/8 = 1/2.  F1 = 2*(5/12)(1/2)/(11/12) = 5/11.
    s = ag.b_cubed(KEY, RESPONSE)
    assert s["recall"] == approx(5 / 12) and s["precision"] == approx(1 / 2) and s["f1"] == approx(5 / 11)


def test_ceaf_e_worked_example() -> None:
    # phi4: abc~ab 2*2/5 = 0.8, abc~cd 2/5, defg~cd 2/6, defg~fghi 2*2/8 = 0.5; best alignment 0.8 + 0.5 = 1.3.
    # Recall 1.3/2 = 0.65, precision 1.3/3; F1 = 2*1.3/(2+3) = 0.52 (the paper's 65 / 43.3 / 52).
    s = ag.ceaf_e(KEY, RESPONSE)
    assert s["recall"] == approx(0.65) and s["precision"] == approx(1.3 / 3) and s["f1"] == approx(0.52)


def test_kappa_undefined_for_a_single_label() -> None:
    # Both annotators use only PERSON: chance agreement is 1, kappa has no meaning.
    assert ag.cohen_kappa([("PERSON", "PERSON"), ("PERSON", "PERSON")]) is None
    assert ag.cohen_kappa([]) is None


def alpha_variant() -> DocBuilder:
    """alpha with a known set of differences (see the hand computation in the test below)."""
    b = DocBuilder("alpha", ALPHA_TEXT)
    b.entity("E1", "Maria Lopez", "PERSON")
    b.entity("E2", "Springfield", "GPE")
    b.entity("E3", "Monday", "DATE")
    b.entity("E4", "12", "QUANTITY")  # relabelled: was CARDINAL
    b.entity("E5", "Springfield Tribune", "ORG")
    b.entity("E7", "she", "PERSON")  # "she" split off Maria Lopez's chain
    b.entity("E8", "council", "ORG")  # extra
    b.mention("M1", "E1", "Maria Lopez")
    b.mention("M2", "E1", "the mayor of Springfield", form="NOM")
    b.mention("M3", "E2", "Springfield")
    b.mention("M4", "E3", "Monday")
    b.mention("M5", "E4", "12")
    b.mention("M6", "E5", "the Springfield Tribune")  # overlaps but is not exact
    b.mention("M7", "E7", "she", form="PRO")
    b.mention("M9", "E8", "council", form="NOM")
    # "2025" (M8) is missing.
    b.quote("Q1", "the budget is balanced.", "direct", "M2", "said")  # other mention, same speaker: agrees
    b.quote("Q2", "she will run again in 2025", "mixed", "M1", "According to")  # wrong speaker, wrong kind
    b.claim("C1", "the budget is balanced", "M1", "CFS", "Q1")
    b.claim("C2", "The council approved 12 new schools", None, "UFS")  # period left out: overlap only
    return b


def cli(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    """The real entry point in this process (the subcommand modules import spaCy and datasets once)."""
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def write(tmp_path: Path, name: str, builder: DocBuilder) -> Path:
    """An annotation file with its document's text.txt beside it (agreement checks against it)."""
    path = tmp_path / name
    path.write_text(dump(builder.annotations()), encoding="utf-8")
    (tmp_path / "text.txt").write_text(builder.text, encoding="utf-8")
    return path


def test_identical_files_agree_fully(tmp_path: Path) -> None:
    # One run through the console script in its own process, as a user runs it.
    a = write(tmp_path, "a.json", alpha())
    b = write(tmp_path, "b.json", alpha())
    result = run_cli("agreement", a, b, "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    figures = [(layer, name, v) for layer, name, v in ag.flatten({k: report[k] for k in ("mentions", "coreference", "quotes", "claims")})]
    figures = [f for f in figures if not f[1].startswith("count_")]
    assert len(figures) > 30
    for layer, name, value in figures:
        assert value == 1.0, (layer, name, value)


def test_known_differences(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(
        capsys, "agreement", write(tmp_path, "a.json", alpha()), write(tmp_path, "b.json", alpha_variant()), "--format", "json"
    )
    assert code == 0, err
    r = json.loads(out)
    m = r["mentions"]
    # A: M1..M8 (8 spans); B: M1-M5, M7 same spans, M6' longer, M9 extra (8 spans). Exact: 6 -> 6/8 each way.
    assert m["exact"] == {"precision": approx(0.75), "recall": approx(0.75), "f1": approx(0.75)}
    # Overlap: every B span but "council" touches an A span (7/8); every A span but "2025" is touched (7/8).
    assert m["overlap"]["f1"] == approx(0.875)
    # Per label (exact span and label): PERSON 3/3 both -> 1; GPE 1 -> 1; DATE A {Monday, 2025}, B {Monday}: 2/3;
    # CARDINAL A only, QUANTITY B only -> 0; ORG A {Tribune}, B {the Tribune, council} -> 0.
    assert m["label_f1"] == {
        "PERSON": approx(1.0),
        "GPE": approx(1.0),
        "DATE": approx(2 / 3),
        "CARDINAL": approx(0.0),
        "QUANTITY": approx(0.0),
        "ORG": approx(0.0),
    }
    # Kappa over the 6 exact matches: labels agree on 5 (po = 5/6); A: PERSON 3, GPE, DATE, CARDINAL;
    # B: PERSON 3, GPE, DATE, QUANTITY; pe = (9+1+1)/36 = 11/36; kappa = (30-11)/(36-11) = 19/25.
    assert m["label_kappa"] == approx(19 / 25)
    c = r["coreference"]
    # Key chain {M1,M2,M7} splits into {M1,M2},{M7}: MUC recall 1/2; response {M1,M2} whole: precision 1/1; F1 2/3.
    assert c["muc"]["recall"] == approx(0.5) and c["muc"]["precision"] == approx(1.0) and c["muc"]["f1"] == approx(2 / 3)
    # B3 recall: (2^2/3 + 1/3 + 1 + 1 + 1 + 0 (Tribune) + 0 (2025)) / 8 = (14/3)/8 = 7/12.
    # B3 precision: (2^2/2 + 1 + 1 + 1 + 1 + 0 + 0) / 8 = 6/8.  F1 = 2(7/12)(3/4)/(7/12+3/4) = 21/32.
    assert c["b_cubed"]["recall"] == approx(7 / 12) and c["b_cubed"]["precision"] == approx(0.75)
    assert c["b_cubed"]["f1"] == approx(21 / 32)
    # CEAFe: {M1,M2,M7}~{M1,M2} 4/5 + three identical singletons 3 = 3.8; 6 key, 7 response clusters; F1 = 7.6/13.
    assert c["ceaf_e"]["recall"] == approx(3.8 / 6) and c["ceaf_e"]["precision"] == approx(3.8 / 7)
    assert c["conll_f1"] == approx((2 / 3 + 21 / 32 + 7.6 / 13) / 3)
    q = r["quotes"]
    # Both quotes match exactly; Q1's speaker is the same entity (agree), Q2's is not; Q2's kind differs.
    assert q["exact"]["f1"] == approx(1.0)
    assert q["speaker_agreement"] == approx(0.5) and q["kind_agreement"] == approx(0.5)
    k = r["claims"]
    # C1 matches exactly, C2 only overlaps: exact 1/2 each way, overlap 2/2; C1's claimant agrees.
    assert k["exact"] == {"precision": approx(0.5), "recall": approx(0.5), "f1": approx(0.5)}
    assert k["overlap"]["f1"] == approx(1.0)
    assert k["claimant_agreement"] == approx(1.0) and k["checkworthiness_agreement"] == approx(1.0)


def test_undefined_figures_are_not_applicable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # gamma has no claims on either side and one quote each; its two mentions are singletons, so MUC is undefined.
    a, b = write(tmp_path, "a.json", gamma()), write(tmp_path, "b.json", gamma())
    code, out, err = cli(capsys, "agreement", a, b)
    assert code == 0, err
    lines = {tuple(line.split()[:2]): line.split()[2] for line in out.splitlines()[3:]}
    assert lines["claims", "exact.f1"] == "n/a"
    assert lines["claims", "claimant_agreement"] == "n/a"
    assert lines["coreference", "muc.f1"] == "n/a"
    assert lines["coreference", "conll_f1"] == "n/a"
    assert lines["quotes", "exact.f1"] == "1.0000"


def test_bad_input_is_reported_without_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = write(tmp_path, "a.json", alpha())
    bad = tmp_path / "b.json"
    bad.write_text('{"document_id": "alpha", "entities": [], "mentions": [{"id": 1}], "quotes": [], "claims": []}\n', encoding="utf-8")
    other = write(tmp_path, "c.json", gamma())
    code, out, err = cli(capsys, "agreement", a, bad)
    assert code == 1 and "Traceback" not in err
    assert "b.json" in out + err
    code, out, err = cli(capsys, "agreement", a, other)
    assert code == 1 and "annotates document 'gamma'" in out + err


@pytest.mark.parametrize(
    ("edit", "code"),
    [
        (lambda ann: ann["mentions"][0].update(start=ann["mentions"][0]["end"], end=ann["mentions"][0]["start"]), "[span.order]"),
        (lambda ann: ann["quotes"][0].update(speaker_mention_id="M99"), "[ref.dangling]"),
    ],
)
def test_both_inputs_are_validated_against_the_text_first(tmp_path: Path, capsys: pytest.CaptureFixture[str], edit, code: str) -> None:  # type: ignore[no-untyped-def]
    a = write(tmp_path, "a.json", alpha())
    bad = alpha().annotations()
    edit(bad)
    b = tmp_path / "b.json"
    b.write_text(dump(bad), encoding="utf-8")
    status, out, _err = cli(capsys, "agreement", a, b)
    assert status == 1
    assert code in out and "b.json" in out and "figure" not in out


def test_agreement_needs_the_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = write(tmp_path, "a.json", alpha())
    (tmp_path / "text.txt").unlink()
    status, out, _err = cli(capsys, "agreement", a, a, "--text", tmp_path / "missing.txt")
    assert status == 1 and "--text" in out
