"""Small PNG charts of the corpus statistics for the dataset card: pure, stats -> PNG bytes.

The bytes must be identical on every build (``build --check``), so: the Agg backend through
the object-oriented API (no pyplot global state), the DejaVu Sans font bundled with
matplotlib, fixed size and dpi, no hinting variation, and no ``Software`` (version) text
chunk in the PNG.  matplotlib is pinned exactly in pyproject.toml because its version
changes the pixels.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from newsanno import schema
from newsanno.stats import CorpusStats
from newsanno.tally import Tally

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
    "mention-labels.png": "Mentions per entity label",
    "quotes.png": "Quotes by kind and by speaker",
    "claims.png": "Claims by check-worthiness class and by claimant",
}


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
    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()


def _figure(panels: list[tuple[str, list[str], list[int]]], height: float) -> bytes:
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(4.2 * len(panels), height), layout="constrained")
        for ax, (title, labels, values) in zip(fig.subplots(1, len(panels), squeeze=False)[0], panels, strict=True):
            _bars(ax, title, labels, values)
        return _png(fig)


def mention_labels_png(stats: CorpusStats) -> bytes:
    """Bar chart of mentions per label, every schema label listed (zeros included)."""
    labels = list(schema.ENTITY_TYPES)
    return _figure([("Mentions per label", labels, [stats.mention_labels[x] for x in labels])], 4.5)


def quotes_png(stats: CorpusStats) -> bytes:
    """Quotes per kind (all kinds) and per speaker (most frequent)."""
    kinds = list(schema.QUOTE_KINDS)
    return _figure(
        [("Quotes per kind", kinds, [stats.quote_kinds[k] for k in kinds]), ("Quotes per speaker", *_top(stats.quote_speakers))], 3.0
    )


def claims_png(stats: CorpusStats) -> bytes:
    """Claims per check-worthiness class and per claimant (most frequent)."""
    classes = list(schema.CHECKWORTHINESS)
    return _figure(
        [("Claims per class", classes, [stats.claim_classes[c] for c in classes]), ("Claims per claimant", *_top(stats.claim_claimants))],
        3.0,
    )


def render_all(stats: CorpusStats) -> dict[str, bytes]:
    """Every chart of the card, file name -> PNG bytes."""
    return {"mention-labels.png": mention_labels_png(stats), "quotes.png": quotes_png(stats), "claims.png": claims_png(stats)}
