"""The table of dataset configs: the one place a config is declared.

Each :class:`ConfigSpec` names a config and carries its one-line description (card and
Croissant), its ``datasets.Features`` (Parquet schema, card metadata) and its row builder
(the pipeline).  Everything that lists configs (the build, the card, Croissant, the
statistics) iterates :data:`CONFIGS`; to add a config, write its builder in ``rows`` and its
Features in ``features`` and add one entry here.

Importing this module stays light: the Features are built on demand, because ``datasets``
takes seconds to import and ``validate``/``lint`` (which run the row checks) never need it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from newsanno import rows, schema
from newsanno.model import Document
from newsanno.problems import Problem
from newsanno.rows import Row, attribution, claim_sentences, coref, usage
from newsanno.tokens import Tokenization

if TYPE_CHECKING:
    from datasets import Features

RowBuilder = Callable[[Document, Tokenization], tuple[list[Row], list[Problem]]]
RowCheck = Callable[[Document, Tokenization], list[Problem]]


@dataclass(frozen=True, slots=True)
class ConfigSpec:
    """One config of the published dataset.

    ``rows`` gives the document's rows, or the problems that keep it out of this config;
    ``check`` gives those problems alone without building rows (None: the config takes
    every valid document).  ``features`` builds the config's Features on each call.
    """

    name: str
    description: str
    features: Callable[[], Features]
    rows: RowBuilder
    check: RowCheck | None = None
    default: bool = False  # the config ``load_dataset`` picks when none is named
    usage: str = ""  # a runnable training snippet for the card (see newsanno.rows.usage)


def _features(builder: str) -> Callable[[], Features]:
    """``newsanno.rows.features.<builder>``, imported on first call (see the module docstring)."""

    def build() -> Features:
        from newsanno.rows import features

        made: Features = getattr(features, builder)()
        return made

    build.__qualname__ = f"features.{builder}"
    return build


def _always(builder: Callable[[Document], list[Row]]) -> RowBuilder:
    """A builder of a config that takes every valid document: it never reports a problem."""

    def build(doc: Document, _tokens: Tokenization) -> tuple[list[Row], list[Problem]]:
        return builder(doc), []

    build.__qualname__ = builder.__qualname__
    return build


# In publication order: the card, Croissant and the statistics table list configs in this order.
CONFIGS: tuple[ConfigSpec, ...] = (
    ConfigSpec(
        "documents",
        "One row per article: metadata, canonical text and every annotation layer as nested lists.",
        _features("documents_features"),
        _always(rows.documents_rows),
        default=True,
        usage=usage.DOCUMENTS,
    ),
    ConfigSpec(
        "mentions",
        "One row per entity mention, with its entity and label.",
        _features("mentions_features"),
        _always(rows.mentions_rows),
        usage=usage.MENTIONS,
    ),
    ConfigSpec(
        "quotes",
        "One row per quotation, with speaker and cue.",
        _features("quotes_features"),
        _always(rows.quotes_rows),
        usage=usage.QUOTES,
    ),
    ConfigSpec(
        "claims",
        "One row per factual claim, with claimant and check-worthiness.",
        _features("claims_features"),
        _always(rows.claims_rows),
        usage=usage.CLAIMS,
    ),
    ConfigSpec(
        "ner",
        "One row per sentence: spaCy tokens with BIO tags from the named (NAM) mentions.",
        _features("ner_features"),
        rows.ner_rows,
        check=rows.ner_problems,
        usage=usage.NER,
    ),
    ConfigSpec(
        "coref",
        "One row per article in the CoNLL-2012 coreference shape: tokens per sentence and entity clusters of token spans.",
        _features("coref_features"),
        coref.coref_rows,
        check=coref.coref_problems,
        usage=usage.COREF,
    ),
    ConfigSpec(
        "claim_sentences",
        f"One row per sentence with its ClaimBuster class ({', '.join(schema.SENTENCE_CLASSES)}), its claims and their claimants.",
        _features("claim_sentences_features"),
        claim_sentences.claim_sentence_rows,
        usage=usage.CLAIM_SENTENCES,
    ),
    ConfigSpec(
        "attribution",
        "One row per sentence: tokens with PARC-style BIO tags (source, cue, content), one tag sequence per quote.",
        _features("attribution_features"),
        attribution.attribution_rows,
        check=attribution.attribution_problems,
        usage=usage.ATTRIBUTION,
    ),
)

NAMES: tuple[str, ...] = tuple(spec.name for spec in CONFIGS)
DEFAULT: str = next(spec.name for spec in CONFIGS if spec.default)
_BY_NAME = {spec.name: spec for spec in CONFIGS}


def spec(name: str) -> ConfigSpec:
    """The spec of the config called ``name``; KeyError naming the known configs otherwise."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown config {name!r}; expected one of {', '.join(NAMES)}") from None


def features(config: str) -> Features:
    """The Features of the config called ``config``; KeyError for an unknown name."""
    return spec(config).features()


def build_rows(doc: Document, tokens: Tokenization) -> tuple[dict[str, list[Row]], list[Problem]]:
    """The document's rows of every config, or (no rows, the problems) when any config refuses it.

    A document is published in every config or in none, so that the configs never disagree
    about which documents the dataset holds.
    """
    built: dict[str, list[Row]] = {}
    problems: list[Problem] = []
    for config in CONFIGS:
        found, refused = config.rows(doc, tokens)
        built[config.name] = found
        problems += refused
    return ({} if problems else built), problems


def check_rows(doc: Document, tokens: Tokenization) -> list[Problem]:
    """The problems :func:`build_rows` would report, without building any row (for ``validate``)."""
    return [problem for config in CONFIGS if config.check is not None for problem in config.check(doc, tokens)]
