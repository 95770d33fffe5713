"""Small PNG charts of the corpus statistics for the dataset card: pure, stats -> PNG bytes.

The bytes must be identical on every build (``build --check``), so: the Agg backend through
the object-oriented API (no pyplot global state), the DejaVu Sans font bundled with
matplotlib, fixed size and dpi, no hinting variation, and no ``Software`` (version) text
chunk in the PNG.  matplotlib is pinned exactly in pyproject.toml because its version
changes the pixels.

A chart is first its data (:func:`specs`: titles, labels, values; no matplotlib), then its
pixels (:func:`draw`).  The data is what a chart cache is keyed by, so a build whose
statistics did not change need not import matplotlib at all.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from newsanno import schema
from newsanno.publish.stats import CorpusStats
from newsanno.publish.tally import Tally

# Every setting that could come from a user's matplotlibrc is fixed here.
RC = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "text.hinting": "default",
    "axes.unicode_minus": True,
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "path.simplify": True,
    "agg.path.chunksize": 0,
}
TOP = 10  # speakers and claimants shown per chart
COLOUR = "#4c72b0"

# File name in dataset/charts/ -> alt text in the card.
CHARTS = {
    "splits.png": "Documents and tokens per split",
    "mention-labels.png": "Mentions per entity label",
    "quotes.png": "Quotes by kind and by speaker",
    "claims.png": "Claims by check-worthiness class and by claimant",
}

if TYPE_CHECKING:
    from matplotlib.figure import Figure


@dataclass(frozen=True)
class ChartSpec:
    """Everything one chart's pixels depend on besides matplotlib and this module's settings."""

    panels: tuple[tuple[str, tuple[str, ...], tuple[int, ...]], ...]  # (title, labels, values) per panel
    height: float


def _bars(ax: object, title: str, labels: Sequence[str], values: Sequence[int]) -> None:
    ax.set_title(title)  # type: ignore[attr-defined]
    if not labels or not any(values):
        ax.text(0.5, 0.5, "none annotated", ha="center", va="center", transform=ax.transAxes)  # type: ignore[attr-defined]
        ax.set_xticks([])  # type: ignore[attr-defined]
        ax.set_yticks([])  # type: ignore[attr-defined]
        return
    positions = list(range(len(labels)))
    ax.barh(positions, values, color=COLOUR)  # type: ignore[attr-defined]
    # Labels are names from the data: drawn literally, never as math text ("$...$").
    ax.set_yticks(positions, [_drawable(x) for x in labels], parse_math=False)  # type: ignore[attr-defined]
    ax.invert_yaxis()  # type: ignore[attr-defined]
    ax.xaxis.get_major_locator().set_params(integer=True)  # type: ignore[attr-defined]
    for y, v in zip(positions, values, strict=True):
        ax.text(v, y, f" {v}", va="center")  # type: ignore[attr-defined]
    ax.set_xlim(0, max(values) * 1.15 + 0.5)  # type: ignore[attr-defined]


def _drawable(label: str) -> str:
    """A label the font can lay out: control and format characters (line breaks, bidi and
    zero-width marks) become U+FFFD, so a hostile name can neither fail nor reorder a chart."""
    return "".join("\ufffd" if unicodedata.category(ch) in ("Cc", "Cf") else ch for ch in label)


def _top(tally: Tally) -> tuple[list[str], list[int]]:
    """The most frequent names, ties broken by name so the order never depends on insertion."""
    items = tally.most_common(TOP)
    return [k for k, _ in items], [v for _, v in items]


def _png(fig: Figure) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()


def draw(spec: ChartSpec) -> bytes:
    """The PNG bytes of one chart."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(4.2 * len(spec.panels), spec.height), layout="constrained")
        for ax, (title, labels, values) in zip(fig.subplots(1, len(spec.panels), squeeze=False)[0], spec.panels, strict=True):
            _bars(ax, title, labels, values)
        return _png(fig)


def _panel(title: str, labels: Sequence[str], values: Sequence[int]) -> tuple[str, tuple[str, ...], tuple[int, ...]]:
    return title, tuple(labels), tuple(values)


def _top_panel(title: str, tally: Tally) -> tuple[str, tuple[str, ...], tuple[int, ...]]:
    return _panel(title, *_top(tally))


def specs(stats: CorpusStats) -> dict[str, ChartSpec]:
    """The data of every chart of the card, by file name (see :data:`CHARTS`)."""
    labels, kinds, classes = list(schema.ENTITY_TYPES), list(schema.QUOTE_KINDS), list(schema.CHECKWORTHINESS)
    splits = list(schema.SPLITS)
    return {
        # Every split is listed, zeros included, so a held-out split that is still empty shows.
        "splits.png": ChartSpec(
            (
                _panel("Documents per split", splits, [stats.documents[s] for s in splits]),
                _panel("Tokens per split", splits, [stats.tokens[s] for s in splits]),
            ),
            2.2,
        ),
        # Every schema label is listed, zeros included; speakers and claimants are the most frequent.
        "mention-labels.png": ChartSpec((_panel("Mentions per label", labels, [stats.mention_labels[x] for x in labels]),), 4.5),
        "quotes.png": ChartSpec(
            (
                _panel("Quotes per kind", kinds, [stats.quote_kinds[k] for k in kinds]),
                _top_panel("Quotes per speaker", stats.quote_speakers),
            ),
            3.0,
        ),
        "claims.png": ChartSpec(
            (
                _panel("Claims per class", classes, [stats.claim_classes[c] for c in classes]),
                _top_panel("Claims per claimant", stats.claim_claimants),
            ),
            3.0,
        ),
    }


def render_all(stats: CorpusStats) -> dict[str, bytes]:
    """Every chart of the card, file name -> PNG bytes."""
    return {name: draw(spec) for name, spec in specs(stats).items()}
