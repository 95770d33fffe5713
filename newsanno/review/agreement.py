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

Given the document's text, mentions are also compared token by token as PolNeAR (Newell et
al. 2018) compares attributions: each token of :func:`newsanno.tokens.tokenize` takes the label
of the innermost mention covering it, or ``O``, and Krippendorff's alpha (nominal, from the
``krippendorff`` package) measures how far the two label sequences agree beyond chance.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from itertools import accumulate
from typing import Any

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


def _hits(spans: Sequence[Span], others: Sequence[Span]) -> int:
    """How many of ``spans`` share a character with some span of ``others``, in O(n log n).

    ``others`` sorted by start: the spans starting before y's end are a prefix, and one of
    them overlaps y exactly when the largest end in that prefix lies after y's start.
    """
    starts = [x[0] for x in others]
    max_end = list(accumulate((x[1] for x in others), max))
    hits = 0
    for start, end in spans:
        k = bisect_left(starts, end)
        hits += k > 0 and max_end[k - 1] > start
    return hits


def overlap_prf(a: Iterable[Span], b: Iterable[Span]) -> dict[str, Figure]:
    """Lenient P/R/F1: a B span counts as correct if it shares a character with some A span
    (precision), an A span as found if some B span shares a character with it (recall)."""
    sa, sb = sorted(set(a)), sorted(set(b))
    hit_b, hit_a = _hits(sb, sa), _hits(sa, sb)
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


def _intersections(key: Clusters, response: Clusters) -> Counter[tuple[int, int]]:
    """|K_i n R_j| for every pair of clusters that share a mention (the others are 0), in O(n)."""
    where = {m: j for j, r in enumerate(response) for m in r}
    return Counter((i, where[m]) for i, k in enumerate(key) for m in k if m in where)


def _b3_side(key: Clusters, response: Clusters) -> Figure:
    """B-cubed recall: sum over K, R of |K n R|^2/|K|, over the number of key mentions."""
    total = sum(len(k) for k in key)
    num = sum(n**2 / len(key[i]) for (i, _), n in _intersections(key, response).items())
    return ratio(num, total)


def b_cubed(key: Clusters, response: Clusters) -> dict[str, Figure]:
    """B-cubed precision, recall and F1."""
    p, r = _b3_side(response, key), _b3_side(key, response)
    return {"precision": p, "recall": r, "f1": f1(p, r)}


def _best_alignment(n_key: int, n_response: int, sims: dict[tuple[int, int], float]) -> float:
    """The largest total similarity of a one-to-one alignment, pairs not in ``sims`` being 0.

    Only clusters that share a mention have a similarity, so the assignment is solved on the
    sparse graph of those pairs (LAPJVsp) instead of a dense |K| x |R| matrix, which is cubic
    and quadratic in memory.  A full matching always exists by construction: key i may stay
    unmatched through its own dummy column (cost 2), response j through its own dummy row
    (cost 2), and the two dummies of a real edge pair up at cost ``_EPS``; a real edge costs
    ``4 - sim - _EPS``, so matching a pair saves exactly ``sim`` over leaving both unmatched.
    """
    if not sims:
        return 0.0
    pairs = list(sims)
    rows = [i for i, _ in pairs] + list(range(n_key)) + [n_key + j for _, j in pairs] + [n_key + j for j in range(n_response)]
    cols = [j for _, j in pairs] + [n_response + i for i in range(n_key)] + [n_response + i for i, _ in pairs] + list(range(n_response))
    costs = [4 - sims[p] - _EPS for p in pairs] + [2.0] * n_key + [_EPS] * len(pairs) + [2.0] * n_response
    size = n_key + n_response
    # Imported here: scipy costs a large part of a command's start-up, and most runs need no CEAFe.
    import numpy as np
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

    # Duplicate (row, col) entries would be summed by csr_matrix; the four groups are disjoint.
    graph = csr_matrix((np.array(costs), (np.array(rows), np.array(cols))), shape=(size, size))
    matched_rows, matched_cols = min_weight_full_bipartite_matching(graph)
    return float(sum(sims[int(i), int(j)] for i, j in zip(matched_rows, matched_cols, strict=True) if i < n_key and j < n_response))


_EPS = 1e-9


def ceaf_e(key: Clusters, response: Clusters) -> dict[str, Figure]:
    """Entity-based CEAF (phi4 similarity 2|K n R|/(|K|+|R|), optimal one-to-one alignment)."""
    if not key or not response:
        p, r = ratio(0, len(response)), ratio(0, len(key))
        return {"precision": p, "recall": r, "f1": f1(p, r)}
    sims = {(i, j): 2 * n / (len(key[i]) + len(response[j])) for (i, j), n in _intersections(key, response).items()}
    best = _best_alignment(len(key), len(response), sims)
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


class _Referents:
    """Who a speaker or claimant is, by the mention spans that name it; indexed once per file
    so that looking up every quote's speaker stays linear in the annotations."""

    def __init__(self, ann: Annotations) -> None:
        groups: dict[str, set[Span]] = defaultdict(set)
        for m in ann["mentions"]:
            groups[m["entity_id"]].add(_span(m))
        self.entities = {k: frozenset(v) for k, v in groups.items()}
        self.mentions = {m["id"]: frozenset({_span(m)}) for m in ann["mentions"]}

    def of(self, entity_id: str | None, mention_id: str | None) -> frozenset[Span] | None:
        """The spans that name a referent (all mentions of its entity), None for no referent."""
        if entity_id is not None:
            return self.entities.get(entity_id, frozenset())
        if mention_id is not None:
            return self.mentions.get(mention_id, frozenset())
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
    """For each attribute, the share of exactly matched spans on which A and B agree.

    Each attribute is ``same(refs_a, x, refs_b, y)`` for the items ``x`` of A and ``y`` of B
    at one span, ``refs_*`` being the referent index of each side.
    """
    by_a = {_span(x): x for x in a[layer]}  # type: ignore[literal-required]
    by_b = {_span(x): x for x in b[layer]}  # type: ignore[literal-required]
    common = sorted(by_a.keys() & by_b.keys())
    ra, rb = _Referents(a), _Referents(b)
    return {name: ratio(sum(same(ra, by_a[s], rb, by_b[s]) for s in common), len(common)) for name, same in attrs.items()}


def _same_person(role: str) -> Any:
    """Agreement on who a quote's speaker or a claim's claimant (``role``) is."""
    return lambda ra, x, rb, y: _same_referent(
        ra.of(x[f"{role}_entity_id"], x[f"{role}_mention_id"]), rb.of(y[f"{role}_entity_id"], y[f"{role}_mention_id"])
    )


def _span_layer(a: Annotations, b: Annotations, layer: str, attrs: dict[str, Any]) -> dict[str, Any]:
    sa, sb = [_span(x) for x in a[layer]], [_span(x) for x in b[layer]]  # type: ignore[literal-required]
    agree = _attribute_agreement(a, b, layer, attrs)
    return {"count_a": len(set(sa)), "count_b": len(set(sb)), "exact": exact_prf(sa, sb), "overlap": overlap_prf(sa, sb), **agree}


def quote_layer(a: Annotations, b: Annotations) -> dict[str, Any]:
    """Quote span P/R/F1, and speaker and kind agreement on exactly matched quotes."""
    return _span_layer(
        a, b, "quotes", {"speaker_agreement": _same_person("speaker"), "kind_agreement": lambda ra, x, rb, y: x["kind"] == y["kind"]}
    )


def claim_layer(a: Annotations, b: Annotations) -> dict[str, Any]:
    """Claim span P/R/F1, and claimant and check-worthiness agreement on exactly matched claims.

    A null claimant means the article's author, so two nulls agree.
    """
    return _span_layer(
        a,
        b,
        "claims",
        {
            "claimant_agreement": _same_person("claimant"),
            "checkworthiness_agreement": lambda ra, x, rb, y: x["checkworthiness"] == y["checkworthiness"],
        },
    )


def token_labels(ann: Annotations, text: str, starts: Sequence[int]) -> list[str]:
    """The label of the innermost mention covering each token (by its first character), else "O"."""
    painted = ["O"] * len(text)
    # Longest first, so a mention inside another ("Ukrainian" in "Ukrainian journalists") wins.
    for m in sorted(ann["mentions"], key=lambda m: m["start"] - m["end"]):
        painted[m["start"] : m["end"]] = [m["label"]] * (m["end"] - m["start"])
    return [painted[i] for i in starts]


def token_alpha(a: Annotations, b: Annotations, text: str, tokenize: Callable[[str], Any] | None = None) -> Figure:
    """Krippendorff's alpha (nominal) of the token labels of A and B; None when undefined
    (no tokens, or a single label throughout both, where chance agreement is certain)."""
    import krippendorff
    import numpy as np

    if tokenize is None:
        from newsanno.tokens import tokenize

    starts = tokenize(text).starts
    la, lb = token_labels(a, text, starts), token_labels(b, text, starts)
    codes = {label: i for i, label in enumerate(sorted(set(la) | set(lb)))}
    if len(codes) < 2:
        return None
    data = np.array([[codes[x] for x in la], [codes[x] for x in lb]], dtype=float)
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


def checkworthiness_kappa(a: Annotations, b: Annotations) -> Figure:
    """Cohen's kappa of the check-worthiness classes of exactly matched claims."""
    by_a = {_span(c): c["checkworthiness"] for c in a["claims"]}
    by_b = {_span(c): c["checkworthiness"] for c in b["claims"]}
    return cohen_kappa([(by_a[s], by_b[s]) for s in sorted(by_a.keys() & by_b.keys())])


def agreement(a: Annotations, b: Annotations, text: str | None = None, tokenize: Callable[[str], Any] | None = None) -> Report:
    """Every agreement figure between two annotations of one document, per layer.

    With the document's ``text``, mentions also get the token-level alpha (``token_alpha``);
    ``tokenize`` (default: :func:`newsanno.tokens.tokenize`) may be a token cache's.
    """
    mentions = mention_layer(a, b)
    if text is not None:
        mentions["token_alpha"] = token_alpha(a, b, text, tokenize)
    return {
        "mentions": mentions,
        "coreference": coreference(clusters(a), clusters(b)),
        "quotes": quote_layer(a, b),
        "claims": {**claim_layer(a, b), "checkworthiness_kappa": checkworthiness_kappa(a, b)},
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
