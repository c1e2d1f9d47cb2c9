"""The report's charts as PNG bytes (matplotlib, Agg, Noto CJK as the assessment charts use):
Word takes PNG, and the PDF embeds the same images."""
import io

import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure  # noqa: E402

FONT = {"family": ["Noto Sans CJK SC", "DejaVu Sans"]}
OKABE_ITO = ["#0072B2", "#D55E00", "#009E73", "#E69F00"]


def _png(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=150, bbox_inches="tight")
    return buffer.getvalue()


def hazards_chart(months: list[dict], labels: dict) -> bytes:
    """Bars: hazards found and closed per month; line: on-time closure rate (right axis)."""
    fig = Figure(figsize=(7, 3.2))
    ax = fig.subplots()
    x = range(len(months))
    ax.bar([i - 0.2 for i in x], [m["found"] for m in months], 0.4, label=labels["found"], color=OKABE_ITO[0])
    ax.bar([i + 0.2 for i in x], [m["closed"] for m in months], 0.4, label=labels["closed"], color=OKABE_ITO[2])
    ax.set_xticks(list(x), [m["month"][2:] for m in months], fontsize=8)
    ax.spines[["top"]].set_visible(False)
    rate_ax = ax.twinx()
    rate_ax.plot(list(x), [m["rate"] if m["rate"] is not None else float("nan") for m in months],
                 color=OKABE_ITO[1], marker="o", label=labels["rate"])
    rate_ax.set_ylim(0, 105)
    rate_ax.set_ylabel("%")
    handles = ax.get_legend_handles_labels()[0] + rate_ax.get_legend_handles_labels()[0]
    names = ax.get_legend_handles_labels()[1] + rate_ax.get_legend_handles_labels()[1]
    ax.legend(handles, names, prop=FONT, frameon=False, loc="upper left", fontsize=8)
    ax.set_title(labels["title"], fontdict=FONT)
    return _png(fig)


def ranking_chart(rows: list[dict], title: str) -> bytes:
    """Horizontal bars: open and overdue hazards per township (worst at the top)."""
    rows = rows[:15]
    fig = Figure(figsize=(7, max(1.6, 0.32 * len(rows) + 0.8)))
    ax = fig.subplots()
    names = [r["name"] for r in rows][::-1]
    ax.barh(names, [r["open"] for r in rows][::-1], color=OKABE_ITO[0])
    ax.barh(names, [r["overdue"] for r in rows][::-1], color=OKABE_ITO[1])
    for label in ax.get_yticklabels():
        label.set_fontfamily(FONT["family"])
    ax.set_title(title, fontdict=FONT)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)
