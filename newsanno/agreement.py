"""Inter-annotator agreement between two annotations of one document: pure functions.

Annotation A is treated as the reference ("key") and B as the response; every F1 here is
symmetric, precision and recall swap when A and B do.  Annotation ids are local to a file,
so annotations are matched by their character spans, never by id.

A figure that is undefined (nothing to compare on either side, or Cohen's kappa where chance
agreement is 1) is ``None`` -- "not applicable" -- never a made-up 0 or 1.

Coreference follows the definitions collected in Pradhan et al. 2014, "Scoring Coreference
Partitions of Predicted Mentions: A Reference Implementation" (ACL): MUC (Vilain et al. 1995),
B-cubed (Bagga and Baldwin 1998) and entity-based CEAF, phi4 (Luo 2005), with mentions
identified by their span; CoNLL F1 is the mean of the three F1s.  No well-kept scorer exists
on PyPI (the reference scorer is Perl), so the formulas are implemented here and tested
against the paper's worked example.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from scipy.optimize import linear_sum_assignment

from newsanno.model import Annotations

Span = tuple[int, int]
Figure = float | None
Report = dict[str, dict[str, Any]]


def ratio(num: float, den: float) -> Figure:
    """num / den, or None where the denominator is zero."""
    return None if den == 0 else num / den


def f1(p: Figure, r: Figure) -> Figure:
    """Harmonic mean of precision and recall; None if either is undefined."""
    if p is None or r is None:
        return None
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def prf(matched_b: int, n_b: int, matched_a: int, n_a: int) -> dict[str, Figure]:
    """Precision over B's items, recall over A's, and their F1.

    F1 is 2*matched/(|A|+|B|) when A and B match one to one, which stays defined (0) when one
    side is empty; it is None only when both are.
    """
    p, r = ratio(matched_b, n_b), ratio(matched_a, n_a)
    if n_a + n_b == 0:
        score: Figure = None
    elif p is None or r is None:
        score = 0.0  # one side empty: nothing can agree
    else:
        score = f1(p, r)
    return {"precision": p, "recall": r, "f1": score}


def exact_prf(a: Iterable[Span], b: Iterable[Span]) -> dict[str, Figure]:
    """P/R/F1 of exact span matches (spans compared as sets)."""
    sa, sb = set(a), set(b)
    common = len(sa & sb)
    return prf(common, len(sb), common, len(sa))


def _overlaps(x: Span, y: Span) -> bool:
    return x[0] < y[1] and y[0] < x[1]


def overlap_prf(a: Iterable[Span], b: Iterable[Span]) -> dict[str, Figure]:
    """Lenient P/R/F1: a B span counts as correct if it shares a character with some A span
    (precision), an A span as found if some B span shares a character with it (recall)."""
    sa, sb = sorted(set(a)), sorted(set(b))
    hit_b = sum(any(_overlaps(y, x) for x in sa) for y in sb)
    hit_a = sum(any(_overlaps(x, y) for y in sb) for x in sa)
    p, r = ratio(hit_b, len(sb)), ratio(hit_a, len(sa))
    if not sa and not sb:
        return {"precision": None, "recall": None, "f1": None}
    return {"precision": p, "recall": r, "f1": 0.0 if p is None or r is None else f1(p, r)}


def cohen_kappa(pairs: Sequence[tuple[str, str]]) -> Figure:
    """Cohen's kappa of paired labels; None with no pairs or when chance agreement is 1."""
    n = len(pairs)
    if n == 0:
        return None
    observed = sum(x == y for x, y in pairs) / n
    ca, cb = Counter(x for x, _ in pairs), Counter(y for _, y in pairs)
    chance = sum(ca[label] * cb[label] for label in ca) / (n * n)
    if chance == 1:
        return None
    return (observed - chance) / (1 - chance)


# --- coreference ---------------------------------------------------------------------------

Clusters = list[frozenset[Span]]


def clusters(ann: Annotations) -> Clusters:
    """Mention spans grouped by entity, in first-mention order (singletons included)."""
    groups: dict[str, set[Span]] = defaultdict(set)
    for m in ann["mentions"]:
        groups[m["entity_id"]].add((m["start"], m["end"]))
    return [frozenset(g) for g in groups.values()]


def _muc_side(key: Clusters, response: Clusters) -> tuple[int, int]:
    """MUC numerator and denominator for recall of ``key`` against ``response``.

    Each key cluster K contributes |K| - |p(K)|, p(K) being the partition of K by the
    response clusters, a mention absent from the response forming its own part.
    """
    where = {m: i for i, r in enumerate(response) for m in r}
    num = den = 0
    for k in key:
        parts = {where.get(m, ("missing", m)) for m in k}
        num += len(k) - len(parts)
        den += len(k) - 1
    return num, den


def muc(key: Clusters, response: Clusters) -> dict[str, Figure]:
    """MUC precision, recall and F1 (undefined when no cluster has two mentions)."""
    rn, rd = _muc_side(key, response)
    pn, pd = _muc_side(response, key)
    p, r = ratio(pn, pd), ratio(rn, rd)
    return {"precision": p, "recall": r, "f1": f1(p, r)}


def _b3_side(key: Clusters, response: Clusters) -> Figure:
    """B-cubed recall: sum over K, R of |K n R|^2/|K|, over the number of key mentions."""
    total = sum(len(k) for k in key)
    num = sum(len(k & r) ** 2 / len(k) for k in key for r in response)
    return ratio(num, total)


def b_cubed(key: Clusters, response: Clusters) -> dict[str, Figure]:
    """B-cubed precision, recall and F1."""
    p, r = _b3_side(response, key), _b3_side(key, response)
    return {"precision": p, "recall": r, "f1": f1(p, r)}


def ceaf_e(key: Clusters, response: Clusters) -> dict[str, Figure]:
    """Entity-based CEAF (phi4 similarity 2|K n R|/(|K|+|R|), optimal one-to-one alignment)."""
    if not key or not response:
        p, r = ratio(0, len(response)), ratio(0, len(key))
        return {"precision": p, "recall": r, "f1": f1(p, r)}
    sim = [[2 * len(k & r) / (len(k) + len(r)) for r in response] for k in key]
    rows, cols = linear_sum_assignment(sim, maximize=True)
    best = float(sum(sim[i][j] for i, j in zip(rows, cols, strict=True)))
    p, r = best / len(response), best / len(key)
    return {"precision": p, "recall": r, "f1": f1(p, r)}


def coreference(key: Clusters, response: Clusters) -> dict[str, Any]:
    """MUC, B-cubed, CEAFe and their mean, the CoNLL F1 (None if any is undefined)."""
    scores = {"muc": muc(key, response), "b_cubed": b_cubed(key, response), "ceaf_e": ceaf_e(key, response)}
    f1s = [s["f1"] for s in scores.values()]
    conll = None if any(x is None for x in f1s) else sum(f1s) / 3  # type: ignore[misc]
    return {**scores, "conll_f1": conll}


# --- layers ------------------------------------------------------------------------------


def _span(x: dict[str, Any]) -> Span:
    return (x["start"], x["end"])


def _entity_spans(ann: Annotations) -> dict[str, frozenset[Span]]:
    groups: dict[str, set[Span]] = defaultdict(set)
    for m in ann["mentions"]:
        groups[m["entity_id"]].add(_span(m))
    return {k: frozenset(v) for k, v in groups.items()}


def _referent(ann: Annotations, entity_id: str | None, mention_id: str | None) -> frozenset[Span] | None:
    """The spans that name a referent (all mentions of its entity), None for no referent."""
    if entity_id is not None:
        return _entity_spans(ann).get(entity_id, frozenset())
    if mention_id is not None:
        return frozenset(_span(m) for m in ann["mentions"] if m["id"] == mention_id)
    return None


def _same_referent(x: frozenset[Span] | None, y: frozenset[Span] | None) -> bool:
    """Two referents agree when both are absent, or when they share a mention span."""
    if x is None or y is None:
        return x is None and y is None
    return bool(x & y)


def mention_layer(a: Annotations, b: Annotations) -> dict[str, Any]:
    """Span P/R/F1 (exact and overlap), per-label F1, and kappa of labels on exact matches."""
    sa = [_span(m) for m in a["mentions"]]
    sb = [_span(m) for m in b["mentions"]]
    labelled_a = {(*_span(m), m["label"]) for m in a["mentions"]}
    labelled_b = {(*_span(m), m["label"]) for m in b["mentions"]}
    per_label: dict[str, Figure] = {}
    for label in sorted({x[2] for x in labelled_a | labelled_b}):
        la = {x for x in labelled_a if x[2] == label}
        lb = {x for x in labelled_b if x[2] == label}
        per_label[label] = exact_prf(la, lb)["f1"]  # type: ignore[arg-type]
    label_a = {_span(m): m["label"] for m in a["mentions"]}
    label_b = {_span(m): m["label"] for m in b["mentions"]}
    pairs = [(label_a[s], label_b[s]) for s in sorted(label_a.keys() & label_b.keys())]
    return {
        "count_a": len(set(sa)),
        "count_b": len(set(sb)),
        "exact": exact_prf(sa, sb),
        "overlap": overlap_prf(sa, sb),
        "label_f1": per_label,
        "label_kappa": cohen_kappa(pairs),
    }


def _attribute_agreement(a: Annotations, b: Annotations, layer: str, attrs: dict[str, Any]) -> dict[str, Figure]:
    """For each attribute, the share of exactly matched spans on which A and B agree."""
    by_a = {_span(x): x for x in a[layer]}  # type: ignore[literal-required]
    by_b = {_span(x): x for x in b[layer]}  # type: ignore[literal-required]
    common = sorted(by_a.keys() & by_b.keys())
    return {name: ratio(sum(same(a, by_a[s], b, by_b[s]) for s in common), len(common)) for name, same in attrs.items()}


def quote_layer(a: Annotations, b: Annotations) -> dict[str, Any]:
    """Quote span P/R/F1, and speaker and kind agreement on exactly matched quotes."""
    sa, sb = [_span(q) for q in a["quotes"]], [_span(q) for q in b["quotes"]]
    agree = _attribute_agreement(
        a,
        b,
        "quotes",
        {
            "speaker_agreement": lambda aa, x, bb, y: _same_referent(
                _referent(aa, x["speaker_entity_id"], x["speaker_mention_id"]),
                _referent(bb, y["speaker_entity_id"], y["speaker_mention_id"]),
            ),
            "kind_agreement": lambda aa, x, bb, y: x["kind"] == y["kind"],
        },
    )
    return {"count_a": len(set(sa)), "count_b": len(set(sb)), "exact": exact_prf(sa, sb), "overlap": overlap_prf(sa, sb), **agree}


def claim_layer(a: Annotations, b: Annotations) -> dict[str, Any]:
    """Claim span P/R/F1, and claimant and check-worthiness agreement on exactly matched claims.

    A null claimant means the article's author, so two nulls agree.
    """
    sa, sb = [_span(c) for c in a["claims"]], [_span(c) for c in b["claims"]]
    agree = _attribute_agreement(
        a,
        b,
        "claims",
        {
            "claimant_agreement": lambda aa, x, bb, y: _same_referent(
                _referent(aa, x["claimant_entity_id"], x["claimant_mention_id"]),
                _referent(bb, y["claimant_entity_id"], y["claimant_mention_id"]),
            ),
            "checkworthiness_agreement": lambda aa, x, bb, y: x["checkworthiness"] == y["checkworthiness"],
        },
    )
    return {"count_a": len(set(sa)), "count_b": len(set(sb)), "exact": exact_prf(sa, sb), "overlap": overlap_prf(sa, sb), **agree}


def agreement(a: Annotations, b: Annotations) -> Report:
    """Every agreement figure between two annotations of one document, per layer."""
    return {
        "mentions": mention_layer(a, b),
        "coreference": coreference(clusters(a), clusters(b)),
        "quotes": quote_layer(a, b),
        "claims": claim_layer(a, b),
    }


def flatten(report: Report) -> list[tuple[str, str, Figure]]:
    """(layer, figure name, value) rows in report order; nested names joined with dots."""
    out: list[tuple[str, str, Figure]] = []

    def walk(layer: str, prefix: str, node: Any) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                walk(layer, f"{prefix}.{k}" if prefix else k, v)
        else:
            out.append((layer, prefix, node))

    for layer, node in report.items():
        walk(layer, "", node)
    return out


def format_table(report: Report) -> str:
    """A plain-text table; undefined figures shown as n/a."""
    rows = flatten(report)
    width = max(len(name) for _, name, _ in rows)
    lines = [f"{'layer':<12} {'figure':<{width}} value", f"{'-' * 12} {'-' * width} -----"]
    for layer, name, value in rows:
        shown = "n/a" if value is None else (str(value) if isinstance(value, int) else f"{value:.4f}")
        lines.append(f"{layer:<12} {name:<{width}} {shown}")
    return "\n".join(lines) + "\n"
