"""The generated parts of the card that say how the data was made: agreement and overrides.

"Annotation process and agreement" shows the figures of two independent annotations before
adjudication and what adjudication decided (from :func:`newsanno.publish.agreement_summary.agreement_summary`);
"Metadata overrides" lists every hand correction of a derived document.json field with its
reason. Both are built from the files at every build, so the card cannot drift from them.
"""

from __future__ import annotations

from typing import Any

# Row label of each figure of the agreement summary, in the order the card shows them.
FIGURES = (
    ("mentions", "span_f1", "mention span F1 (exact)"),
    ("mentions", "label_kappa", "mention label Cohen's kappa (matched spans)"),
    ("mentions", "token_alpha", "mention labels per token, Krippendorff's alpha"),
    ("coreference", "conll_f1", "coreference CoNLL F1 (MUC, B-cubed, CEAFe)"),
    ("quotes", "span_f1", "quote span F1 (exact)"),
    ("quotes", "source_agreement", "quote source agreement (matched quotes)"),
    ("claims", "span_f1", "claim span F1 (exact)"),
    ("claims", "claimant_agreement", "claimant agreement (matched claims)"),
    ("claims", "checkworthiness_kappa", "check-worthiness Cohen's kappa (matched claims)"),
)


def _figure(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def agreement_section(summary: dict[str, Any] | None, table: Any) -> str:
    """The "Annotation process and agreement" section; ``table(header, rows)`` draws a Markdown table."""
    lines = ["## Annotation process and agreement", ""]
    if not summary or not summary["documents"]:
        return "\n".join([*lines, "No document has a second, independent annotation yet, so no agreement figure is given.", ""])
    documents = ", ".join(f"`{d}`" for d in summary["documents"])
    lines += [
        f"Documents annotated twice, independently (`annotations.a.json`, `annotations.b.json`): {documents}. "
        f"Their disagreements were adjudicated item by item (`adjudication.json`, decided on {summary['date'] or 'an unrecorded date'}); "
        "the gold `annotations.json` is the result.",
        "",
        f"Agreement before adjudication (A as reference). {summary['caveat']}",
        "",
        table(("figure", "value"), [(label, _figure(summary["figures"][layer][key])) for layer, key, label in FIGURES]),
        "",
        "Adjudicated items by class and decision:",
        "",
        table(("class", "items"), sorted(summary["items_by_class"].items())),
        "",
        table(("decision", "items"), sorted(summary["items_by_decision"].items())),
        "",
    ]
    if summary["open"]:
        lines += [f"**{summary['open']} items are still open.**", ""]
    return "\n".join(lines)


def overrides_section(overrides: list[tuple[str, str, str, str]], table: Any) -> str:
    """The "Metadata overrides" section: (document, field, value, reason) of every hand correction."""
    lines = [
        "### Metadata overrides",
        "",
        "Title, author and date are derived from each `source.txt` by its source profile; where a derived value was "
        "corrected by hand, the correction and its reason are recorded in `document.json` and listed here.",
        "",
    ]
    rows = sorted(overrides)
    lines.append(table(("document", "field", "value", "reason"), rows) if rows else "None.")
    return "\n".join([*lines, ""])
