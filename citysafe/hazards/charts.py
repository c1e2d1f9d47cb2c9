"""The statistics of the hazard pages as charts: matplotlib (Agg) draws SVG on the server, like
the risk map printouts (risks/map/render.py), with the Noto CJK font; text stays text in the SVG
(svg.fonttype "none") so the browser shapes the Chinese labels and the file stays small.
Three charts, each beside its table: per township and per industry (found / closed / closed on
time / overdue as grouped bars) and per month (found and closed as lines)."""
import io

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402 (after choosing the backend)

from citysafe.risks.map.render import FONT_FAMILY  # noqa: E402

# Bars in the order of the tables' columns; colours readable by the colour-blind (Okabe-Ito).
SERIES = (("found", "发现", "#0072B2"), ("closed", "已销号", "#009E73"), ("closed_on_time", "按期销号", "#56B4E9"),
          ("overdue", "逾期", "#D55E00"))
MAX_GROUPS = 30


def _svg(fig: Figure, title: str) -> bytes:
    """The page's heading names the chart on screen; `title` goes into the SVG's metadata."""
    out = io.BytesIO()
    fig.savefig(out, format="svg", bbox_inches="tight", metadata={"Title": title})
    return out.getvalue()


def _figure(n_groups: int, horizontal: bool) -> Figure:
    height = max(2.6, 0.42 * n_groups + 1.2) if horizontal else 3.4
    return Figure(figsize=(8, height))


def grouped_bars(rows: list[dict], label_key: str, title: str, empty_label: str, series_labels: dict) -> bytes:
    """One horizontal group of bars per row (a township, an industry), largest "found" first."""
    rows = sorted(rows, key=lambda r: -r["found"])[:MAX_GROUPS]
    with matplotlib.rc_context({"font.family": [FONT_FAMILY, "sans-serif"], "svg.fonttype": "none",
                                "font.size": 10}):
        fig = _figure(len(rows), horizontal=True)
        ax = fig.add_subplot()
        names = [str(r[label_key] or empty_label) for r in rows][::-1]
        height = 0.8 / len(SERIES)
        for n, (key, _label, colour) in enumerate(SERIES):
            positions = [i + (n - (len(SERIES) - 1) / 2) * height for i in range(len(rows))]
            ax.barh(positions, [r[key] for r in rows][::-1], height=height, color=colour, label=series_labels[key])
        ax.set_yticks(range(len(rows)), names)
        ax.spines[["top", "right"]].set_visible(False)
        ax.xaxis.grid(True, color="#e5e5e5")
        ax.set_axisbelow(True)
        ax.legend(ncols=len(SERIES), loc="lower left", bbox_to_anchor=(0, 1.06), frameon=False, fontsize=9)
        return _svg(fig, title)


def monthly_lines(rows: list[dict], title: str, series_labels: dict) -> bytes:
    with matplotlib.rc_context({"font.family": [FONT_FAMILY, "sans-serif"], "svg.fonttype": "none",
                                "font.size": 10}):
        fig = _figure(len(rows), horizontal=False)
        ax = fig.add_subplot()
        months = [r["month"].strftime("%Y-%m") for r in rows]
        for key, _label, colour in SERIES:
            if key in ("found", "closed", "overdue"):
                ax.plot(months, [r[key] for r in rows], marker="o", color=colour, label=series_labels[key])
        ax.spines[["top", "right"]].set_visible(False)
        ax.yaxis.grid(True, color="#e5e5e5")
        ax.tick_params(axis="x", labelrotation=45)
        ax.legend(ncols=3, loc="lower left", bbox_to_anchor=(0, 1.06), frameon=False, fontsize=9)
        return _svg(fig, title)
