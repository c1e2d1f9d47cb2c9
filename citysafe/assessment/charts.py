"""Server-side charts (matplotlib, Agg, Noto CJK as the risk map uses) as SVG data URIs: the same
image serves the page and a PDF, and nothing is loaded from elsewhere."""
import base64
import io

import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure  # noqa: E402

FONT_FAMILY = ["Noto Sans CJK SC", "DejaVu Sans"]
OKABE_ITO = ["#0072B2", "#D55E00", "#009E73", "#E69F00", "#CC79A7"]


def _svg(fig) -> str:
    """The chart as a data: URI for an <img>: the page's CSP allows data: images but no inline
    styles, which matplotlib's SVG uses (inlined, its shapes would lose their colours)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight")
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def bars_by_year(rows: list[dict], series: dict[str, str], title: str) -> str:
    """Grouped bars per year: `series` maps a row key (or a key of rows' deaths_by_kind) to its label."""
    fig = Figure(figsize=(7, 3.2))
    ax = fig.subplots()
    years = [r["year"] for r in rows]
    width = 0.8 / max(1, len(series))
    for n, (key, label) in enumerate(series.items()):
        values = [r["deaths_by_kind"].get(key, 0) if key in r["deaths_by_kind"] else r.get(key, 0) for r in rows]
        ax.bar([i + n * width for i in range(len(years))], values, width, label=label, color=OKABE_ITO[n % 5])
    ax.set_xticks([i + width * (len(series) - 1) / 2 for i in range(len(years))], [str(y) for y in years])
    ax.set_title(title, fontfamily=FONT_FAMILY)
    ax.legend(prop={"family": FONT_FAMILY}, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig)


def horizontal_bars(labels: list[str], values: list[float], title: str) -> str:
    fig = Figure(figsize=(7, max(1.6, 0.35 * len(labels) + 0.8)))
    ax = fig.subplots()
    ax.barh(range(len(labels)), values, color=OKABE_ITO[0])
    ax.set_yticks(range(len(labels)), labels, fontfamily=FONT_FAMILY)
    ax.invert_yaxis()
    ax.set_title(title, fontfamily=FONT_FAMILY)
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig)
