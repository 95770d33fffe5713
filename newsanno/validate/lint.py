"""The annotation linter: what a careful reviewer checks by hand, done by the machine.

The validator (:mod:`newsanno.validate`) rejects annotations that are *wrong* (broken offsets,
dangling references, overlapping names). The linter looks for annotations that are most likely
*missing or inconsistent* in a valid document: a name annotated in one place but not in another,
quotation marks no quote covers, a direct quote without a speaker, and the like.

Every finding is a :class:`~newsanno.problems.Problem` of severity ``"warning"`` (the CLI turns
them into errors under ``--strict``) with a stable ``code``. A finding that the annotators reviewed
and accepted is recorded in the annotation file's ``exceptions`` list with a reason; the linter then
stays silent about it, and reports an exception that no longer matches any finding as stale, so the
list cannot silently rot.

This module is pure: it reads a :class:`~newsanno.model.Document` and returns problems; it neither
reads files nor prints.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from newsanno import schema
from newsanno.model import Annotations, Document, LintException, Mention, Quote
from newsanno.problems import Problem

# Every lint code starts with this, so --strict can promote exactly the lint findings.
LINT_PREFIX = "lint."

# Stable finding codes: exceptions in annotation files refer to them, so never rename one.
UNANNOTATED_NAME = "lint.unannotated_name"
LABEL_CONFLICT = "lint.label_conflict"
CANONICAL_NAME = "lint.canonical_name"
UNQUOTED_MARKS = "lint.unquoted_marks"
UNPAIRED_MARK = "lint.unpaired_quote_mark"
DIRECT_WITHOUT_SPEAKER = "lint.direct_quote_without_speaker"
CUE_INSIDE_CONTENT = "lint.cue_inside_content"
CLAIMANT_WITHOUT_MENTION = "lint.claimant_without_mention"
STALE_EXCEPTION = "lint.stale_exception"


def _schema_value(values: tuple[str, ...], wanted: str, what: str) -> str:
    """A label value the linter's rules depend on, checked against the schema at import time.

    The rules need a few specific values (the name form, the direct quote kind); reading them
    through the schema means a renamed value breaks loudly here instead of silently disabling a rule.
    """
    if wanted not in values:
        raise RuntimeError(f"schema has no {what} {wanted!r} (has {', '.join(values)}); update newsanno.validate.lint")
    return wanted


NAME_FORM = _schema_value(schema.MENTION_FORMS, "NAM", "mention form")
DIRECT_KIND = _schema_value(schema.QUOTE_KINDS, "direct", "quote kind")

# Double quotation marks only: the apostrophe (' and U+2019) is not a quotation mark in this corpus's
# sources, and single-quote pairing would drown the report in possessives.
_STRAIGHT = '"'
_OPEN = "\u201c"  # “
_CLOSE = "\u201d"  # ”
_QUOTE_MARKS = re.compile(f"[{_STRAIGHT}{_OPEN}{_CLOSE}]")

CONTEXT_CHARS = 30


@dataclass(frozen=True, slots=True)
class _Finding:
    """A problem plus the handle an exception can match it by (annotation id or text span)."""

    problem: Problem
    start: int | None = None
    end: int | None = None


def context(text: str, start: int, end: int, width: int = CONTEXT_CHARS) -> str:
    """The text around ``text[start:end]``, with the spot marked ``>>...<<``, on one line.

    Line breaks are shown as spaces so the message stays one line in a terminal or CI log.
    """
    left = text[max(0, start - width) : start]
    right = text[end : end + width]
    lead = "..." if start > width else ""
    tail = "..." if end + width < len(text) else ""
    return f"{lead}{left}>>{text[start:end]}<<{right}{tail}".replace("\n", " ")


def _whole_word(needle: str) -> re.Pattern[str]:
    """A pattern for ``needle`` not glued to a letter or digit on either side.

    Lookarounds rather than ``\\b`` because names may start or end with non-word characters
    ("$75 billion", "U.S."), where ``\\b`` would demand the opposite of what we want.
    """
    return re.compile(r"(?<!\w)" + re.escape(needle) + r"(?!\w)")


_WORD = re.compile(r"\w")


def _whole_word_spans(text: str, needle: str) -> Iterable[tuple[int, int]]:
    """The spans ``_whole_word(needle).finditer(text)`` yields, found with ``str.find``.

    Same semantics (leftmost match, the next search from the end of a match, or from the next
    character when the lookarounds fail), without compiling a pattern per name per document.
    """
    if not needle:
        yield from (m.span() for m in _whole_word(needle).finditer(text))
        return
    size = len(needle)
    i = text.find(needle)
    while i != -1:
        end = i + size
        if (i == 0 or not _WORD.match(text, i - 1)) and not _WORD.match(text, end):
            yield i, end
            i = text.find(needle, end)
        else:
            i = text.find(needle, i + 1)


def _warning(shown: str, message: str, code: str, pointer: str, hint: str, annotation_id: str | None = None) -> Problem:
    """A lint finding as a problem: every finding is a warning (``--strict`` promotes them later)."""
    return Problem(shown, message, code, pointer=pointer, annotation_id=annotation_id, hint=hint, severity="warning")


def _covered(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def _unannotated_names(ann: Annotations, text: str, shown: str) -> list[_Finding]:
    """Each whole-word occurrence of a NAM mention's text where no NAM mention covers it.

    An occurrence inside a longer NAM mention counts as covered ("Post" inside "Washington Post"),
    since names are flat and the outer name is the annotation OntoNotes wants there.
    """
    named = [m for m in ann["mentions"] if m["form"] == NAME_FORM]
    spans = [(m["start"], m["end"]) for m in named]
    by_text: dict[str, list[Mention]] = defaultdict(list)
    for m in named:
        by_text[m["text"]].append(m)
    exact = set(spans)  # most occurrences are a mention's own span: a set lookup settles them
    findings = []
    seen: set[tuple[int, int]] = set()
    for name, examples in sorted(by_text.items()):
        for start, end in _whole_word_spans(text, name):
            if (start, end) in exact or _covered(start, end, spans) or (start, end) in seen:
                continue
            seen.add((start, end))
            example = examples[0]
            labels = sorted({m["label"] for m in examples})
            message = f"{name!r} is a {'/'.join(labels)} name elsewhere ({example['id']}) but has no NAM mention here: {context(text, start, end)}"
            hint = f"add a NAM mention start={start} end={end} for entity {example['entity_id']}, or record an exception if this occurrence is not that name"
            findings.append(_Finding(_warning(shown, message, UNANNOTATED_NAME, "/mentions/-", hint), start, end))
    return findings


def _label_conflicts(ann: Annotations, text: str, shown: str) -> list[_Finding]:
    """NAM mentions with the same text but different labels: the minority ones are reported.

    The majority label is most likely the intended one; on a tie the label seen first in the text
    wins, so the output does not depend on dict order.
    """
    by_text: dict[str, list[tuple[int, Mention]]] = defaultdict(list)
    for i, m in enumerate(ann["mentions"]):
        if m["form"] == NAME_FORM:
            by_text[m["text"]].append((i, m))
    findings = []
    for name, group in sorted(by_text.items()):
        counts = Counter(m["label"] for _, m in group)
        if len(counts) < 2:
            continue
        first_seen = {label: min(m["start"] for _, m in group if m["label"] == label) for label in counts}
        main = min(counts, key=lambda label: (-counts[label], first_seen[label]))
        main_ids = [m["id"] for _, m in group if m["label"] == main]
        for i, m in group:
            if m["label"] == main:
                continue
            message = (
                f"{name!r} is labelled {m['label']} here but {main} in {', '.join(main_ids[:5])}: {context(text, m['start'], m['end'])}"
            )
            hint = f"use {main} if it is the same kind of referent, or record an exception explaining the difference"
            problem = _warning(shown, message, LABEL_CONFLICT, f"/mentions/{i}/label", hint, m["id"])
            findings.append(_Finding(problem, m["start"], m["end"]))
    return findings


def _canonical_names(ann: Annotations, shown: str) -> list[_Finding]:
    """An entity's ``name`` should be one of its mentions' texts, so a reader can find it in the text."""
    texts: dict[str, list[Mention]] = defaultdict(list)
    for m in ann["mentions"]:
        texts[m["entity_id"]].append(m)
    findings = []
    for i, e in enumerate(ann["entities"]):
        mentions = texts.get(e["id"], [])
        if any(m["text"] == e["name"] for m in mentions):
            continue
        if not mentions:
            message = f"entity {e['id']} {e['name']!r} has no mentions, so its name cannot be one of their texts"
            hint = "add its mentions, or remove the entity"
        else:
            # Suggest the longest name-form mention: canonical names are the fullest proper name.
            best = max(mentions, key=lambda m: (m["form"] == NAME_FORM, len(m["text"]), -m["start"]))
            others = sorted({m["text"] for m in mentions})
            message = f"entity {e['id']} is named {e['name']!r}, which is not the text of any of its mentions ({', '.join(map(repr, others[:5]))})"
            hint = f"rename it to {best['text']!r}"
        findings.append(_Finding(_warning(shown, message, CANONICAL_NAME, f"/entities/{i}/name", hint, e["id"])))
    return findings


def quote_mark_pairs(text: str) -> tuple[list[tuple[int, int]], list[int]]:
    """Pair the double quotation marks of ``text``: ``([(open, close), ...], [unpaired, ...])``.

    Positions are the marks' own offsets. Curly marks say which side they are; straight marks
    alternate. Pairing restarts at each paragraph, because a quote never spans paragraphs without
    reopening; an opening mark still open at the end of a paragraph is paired with the paragraph's
    end (the multi-paragraph quote convention leaves the closing mark off), so it is not reported
    as unpaired but its content still has to be covered.
    """
    pairs: list[tuple[int, int]] = []
    unpaired: list[int] = []
    for para in re.finditer(r"[^\n]+(?:\n(?!\n)[^\n]+)*", text):
        open_at: int | None = None
        for mark in _QUOTE_MARKS.finditer(text, para.start(), para.end()):
            pos, ch = mark.start(), mark.group()
            if ch == _OPEN or (ch == _STRAIGHT and open_at is None):
                if open_at is not None:
                    unpaired.append(open_at)  # an opening mark that was never closed
                open_at = pos
            elif open_at is None:
                unpaired.append(pos)  # a closing mark with nothing open
            else:
                pairs.append((open_at, pos))
                open_at = None
        if open_at is not None:
            end = para.end()
            pairs.append((open_at, end))
    return pairs, unpaired


def _quote_marks(ann: Annotations, text: str, shown: str) -> list[_Finding]:
    """Every pair of double quotation marks must lie inside some quote (scare quotes included).

    A pair is covered when a quote's content spans the text between the marks; this works both
    for direct quotes (content inside the marks) and for mixed quotes whose content contains the
    quoted fragment with its marks.
    """
    spans = [(q["start"], q["end"]) for q in ann["quotes"]]
    findings = []
    pairs, unpaired = quote_mark_pairs(text)
    for open_at, close_at in pairs:
        if _covered(open_at + 1, close_at, spans):
            continue
        end = min(close_at + 1, len(text))
        message = f"quotation marks not covered by any quote: {context(text, open_at, end)}"
        hint = f"add a quote with start={open_at + 1} end={close_at} (kind scare if the marks report no speech)"
        findings.append(_Finding(_warning(shown, message, UNQUOTED_MARKS, "/quotes/-", hint), open_at, end))
    for pos in unpaired:
        message = f"quotation mark without a partner in its paragraph: {context(text, pos, pos + 1)}"
        hint = "check the text for a missing or stray quotation mark"
        findings.append(_Finding(_warning(shown, message, UNPAIRED_MARK, "/quotes/-", hint), pos, pos + 1))
    return findings


def _quote_rules(ann: Annotations, text: str, shown: str) -> list[_Finding]:
    """A direct quote needs a speaker; a quote's cue must lie outside its content."""
    findings = []
    for i, q in enumerate(ann["quotes"]):
        if q["kind"] == DIRECT_KIND and (q["speaker_mention_id"] is None or q["speaker_entity_id"] is None):
            message = f"direct quote {q['id']} has no speaker: {context(text, q['start'], q['end'])}"
            hint = 'point speaker_mention_id/speaker_entity_id at the speaker; an unnamed speaker ("one official") gets a NOM mention'
            findings.append(_Finding(_warning(shown, message, DIRECT_WITHOUT_SPEAKER, f"/quotes/{i}/speaker_mention_id", hint, q["id"])))
        cue = q["cue"]
        if cue is not None and cue["start"] < q["end"] and q["start"] < cue["end"]:
            inside = q["start"] <= cue["start"] and cue["end"] <= q["end"]
            message = f"cue {cue['text']!r} of quote {q['id']} {'lies inside' if inside else 'overlaps'} its content: {context(text, cue['start'], cue['end'])}"
            findings.append(_Finding(_warning(shown, message, CUE_INSIDE_CONTENT, f"/quotes/{i}/cue", _cue_hint(q), q["id"])))
    return findings


def _cue_hint(q: Quote) -> str:
    """Suggest where the content should end or start so that it excludes the cue."""
    cue = q["cue"]
    assert cue is not None  # only called for quotes with a cue
    if cue["start"] - q["start"] >= q["end"] - cue["end"]:
        return f"end the content before the cue (end={cue['start']}), trimming spaces and punctuation"
    return f"start the content after the cue (start={cue['end']}), trimming spaces and punctuation"


def _claimants(ann: Annotations, shown: str) -> list[_Finding]:
    """A claimant entity must be mentioned somewhere, or a reader cannot tell who claims it."""
    mentioned = {m["entity_id"] for m in ann["mentions"]}
    findings = []
    for i, c in enumerate(ann["claims"]):
        entity = c["claimant_entity_id"]
        if entity is None or entity in mentioned:
            continue
        message = f"claim {c['id']} is attributed to entity {entity}, which has no mention in the document"
        hint = "add a mention of the claimant (NOM or PRO if it is unnamed) and set claimant_mention_id, or set claimant_entity_id to null for the author"
        findings.append(_Finding(_warning(shown, message, CLAIMANT_WITHOUT_MENTION, f"/claims/{i}/claimant_entity_id", hint, c["id"])))
    return findings


def _matches(exc: LintException, finding: _Finding) -> bool:
    """An exception covers a finding of its code at its annotation id, or at its exact span."""
    if exc["code"] != finding.problem.code:
        return False
    if exc["annotation_id"] is not None:
        return exc["annotation_id"] == finding.problem.annotation_id
    return exc["start"] is not None and exc["start"] == finding.start and exc["end"] == finding.end


def _apply_exceptions(findings: list[_Finding], exceptions: list[LintException], text: str, shown: str) -> list[Problem]:
    """Drop excepted findings; report each exception that covers none as stale."""
    used = [False] * len(exceptions)
    kept = []
    for finding in findings:
        hits = [i for i, exc in enumerate(exceptions) if _matches(exc, finding)]
        for i in hits:
            used[i] = True
        if not hits:
            kept.append(finding.problem)
    for i, exc in enumerate(exceptions):
        if used[i]:
            continue
        if exc["annotation_id"] is not None:
            where = f"annotation {exc['annotation_id']}"
        elif exc["start"] is not None and exc["end"] is not None and 0 <= exc["start"] <= exc["end"] <= len(text):
            where = context(text, exc["start"], exc["end"])
        else:
            where = f"span {exc['start']}..{exc['end']}"
        message = f"exception for {exc['code']} at {where} matches no finding (reason given: {exc['reason']!r})"
        hint = "remove it, or fix its code/location if the finding moved"
        kept.append(_warning(shown, message, STALE_EXCEPTION, f"/exceptions/{i}", hint, exc["annotation_id"]))
    return kept


def lint_document(doc: Document, display_path: str) -> list[Problem]:
    """Lint one validated document; return warnings, excepted findings left out.

    ``display_path`` is the annotation file as the user should see it; pointers in the problems
    point into that file ("/mentions/-" and "/quotes/-" mean "a new item of that list").
    """
    ann, text, shown = doc.annotations, doc.text, display_path
    findings: list[_Finding] = []
    findings += _unannotated_names(ann, text, shown)
    findings += _label_conflicts(ann, text, shown)
    findings += _canonical_names(ann, shown)
    findings += _quote_marks(ann, text, shown)
    findings += _quote_rules(ann, text, shown)
    findings += _claimants(ann, shown)
    # .get: documents built in code (tests, older fixtures) may predate the exceptions key.
    exceptions: list[LintException] = list(ann.get("exceptions", []))  # type: ignore[misc]
    problems = _apply_exceptions(findings, exceptions, text, shown)
    # Stable order: by code, then by where in the file, so reruns diff cleanly.
    return sorted(problems, key=_order)


def _order(p: Problem) -> tuple[str, tuple[tuple[int, int | str], ...], str]:
    """Sort key: code, then the pointer with numeric parts compared as numbers (/quotes/2 < /quotes/10)."""
    parts = tuple((0, int(part)) if part.isdigit() else (1, part) for part in p.pointer.split("/"))
    return p.code, parts, p.message
