"""The four-colour map rendered on the server (PNG, PDF) for printing: title, legend, north
arrow, scale bar and date, with matplotlib (Agg; no display) and the Noto CJK font that
Debian's fonts-noto-cjk installs (scripts/ensure_services.sh). Without that font the Chinese
text would come out as empty boxes, so rendering refuses with a clear error instead.

The data is the page's (layers.map_data for the same viewer and filters), so a print holds
exactly what the screen may show. Coordinates are lon/lat drawn with the axes' aspect set to
1/cos(latitude): at a county's size that is the local equirectangular view, and the scale bar
is measured at the map's centre latitude.
"""
import io
import logging
import math
from datetime import date

import matplotlib

matplotlib.use("Agg")
# fontTools logs every table it prunes while subsetting the PDF's font at INFO.
logging.getLogger("fontTools").setLevel(logging.WARNING)

from matplotlib import font_manager  # noqa: E402 (after choosing the backend)
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch, Polygon  # noqa: E402
from shapely.geometry import box, shape  # noqa: E402

from citysafe.risks.models import LEVEL_HEX  # noqa: E402

FONT_FAMILY = "Noto Sans CJK SC"
FORMATS = {"png": "image/png", "pdf": "application/pdf"}
A4_LANDSCAPE = (11.69, 8.27)
PNG_DPI = 150
NO_LEVEL_FILL = "#f4f4f0"
RIVER = "#4a90c8"
KM_PER_DEGREE = 111.32
NICE_KM = (0.5, 1, 2, 5, 10, 20, 50, 100)


class FontMissing(RuntimeError):
    """The CJK font is not installed: install Debian's fonts-noto-cjk."""


def cjk_font() -> str:
    """The Noto CJK font file matplotlib will use; FontMissing if it has none."""
    try:
        path = font_manager.findfont(font_manager.FontProperties(family=FONT_FAMILY), fallback_to_default=False)
    except ValueError as error:
        raise FontMissing("未找到中文字体 Noto Sans CJK SC：请安装 fonts-noto-cjk（scripts/ensure_services.sh）") from error
    return path


def _rings(geometry):
    geom = shape(geometry)
    polygons = getattr(geom, "geoms", [geom])
    for polygon in polygons:
        if polygon.geom_type == "Polygon":
            yield list(polygon.exterior.coords)


def _draw_areas(ax, features, *, fill: bool, edge: str, width: float, z: int, alpha: float = 0.75):
    raised = []
    for feature in features:
        props = feature["properties"]
        colour = LEVEL_HEX.get(props.get("level", 0)) if props.get("level") else NO_LEVEL_FILL
        for ring in _rings(feature["geometry"]):
            ax.add_patch(Polygon(ring, closed=True, facecolor=colour if fill else "none", edgecolor=edge,
                                 linewidth=width, alpha=alpha if fill else 1, zorder=z))
            if props.get("raised"):
                ax.add_patch(Polygon(ring, closed=True, facecolor="none", edgecolor="#5a0000", hatch="////",
                                     linewidth=1.2, zorder=z + 1))
        if props.get("raised"):
            raised.append(f"{props.get('name', '')}：{props.get('raise_reason', '')}")
    return raised


def _extent(features, fallback):
    bounds = None
    for feature in features:
        b = shape(feature["geometry"]).bounds
        bounds = b if bounds is None else (min(bounds[0], b[0]), min(bounds[1], b[1]),
                                           max(bounds[2], b[2]), max(bounds[3], b[3]))
    return bounds or fallback


def _nice_length(width_km: float) -> float:
    target = width_km / 5
    return max([n for n in NICE_KM if n <= target] or [NICE_KM[0]])


def _scale_bar(ax, extent, lat0, text):
    minx, miny, maxx, maxy = extent
    km_per_deg = KM_PER_DEGREE * math.cos(math.radians(lat0))
    length_km = _nice_length((maxx - minx) * km_per_deg)
    length_deg = length_km / km_per_deg
    x0, y0 = minx + (maxx - minx) * 0.04, miny + (maxy - miny) * 0.05
    for n in range(2):
        ax.add_patch(Polygon([(x0 + n * length_deg / 2, y0), (x0 + (n + 1) * length_deg / 2, y0),
                              (x0 + (n + 1) * length_deg / 2, y0 + (maxy - miny) * 0.012),
                              (x0 + n * length_deg / 2, y0 + (maxy - miny) * 0.012)],
                             facecolor="black" if n == 0 else "white", edgecolor="black", linewidth=0.8, zorder=30))
    label = text["km"] % {"n": f"{length_km:g}"} if length_km >= 1 else text["m"] % {"n": f"{length_km * 1000:g}"}
    for x, text in ((x0, "0"), (x0 + length_deg, label)):
        ax.text(x, y0 + (maxy - miny) * 0.02, text, ha="center", va="bottom", fontsize=8, zorder=30)
    return length_km


def _north_arrow(ax, text):
    ax.annotate("", xy=(0.95, 0.95), xytext=(0.95, 0.86), xycoords="axes fraction",
                arrowprops={"facecolor": "black", "width": 4, "headwidth": 12, "headlength": 12}, zorder=30)
    ax.text(0.95, 0.965, text["north"], transform=ax.transAxes, ha="center", va="bottom", fontsize=12, fontweight="bold",
            zorder=30)


def render_map(data: dict, *, title: str, township_mode: bool, base: list[dict], fmt: str,
               on: date, text: dict, subtitle: str = "") -> bytes:
    """`data`: layers.map_data; `base`: county outline and water features (registry.map.base).
    `text`: the legend's words (translated by the caller). Returns the PNG or PDF bytes."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    cjk_font()
    with matplotlib.rc_context({"font.family": FONT_FAMILY, "pdf.fonttype": 42, "hatch.linewidth": 0.6}):
        return _render(data, title=title, township_mode=township_mode, base=base, fmt=fmt, on=on, text=text,
                       subtitle=subtitle)


def _render(data, *, title, township_mode, base, fmt, on, text, subtitle):  # noqa: PLR0913
    figure = Figure(figsize=A4_LANDSCAPE)
    ax = figure.add_axes([0.03, 0.06, 0.72, 0.84])
    ax.set_axis_off()
    county = [f for f in base if f["properties"].get("kind") == "county"]
    townships = data.get("townships", [])
    frame_features = townships if township_mode and townships else (county or townships)
    extent = _extent(frame_features, (103.2, 35.5, 103.7, 35.8))
    pad_x, pad_y = (extent[2] - extent[0]) * 0.04, (extent[3] - extent[1]) * 0.04
    extent = (extent[0] - pad_x, extent[1] - pad_y, extent[2] + pad_x, extent[3] + pad_y)
    lat0 = (extent[1] + extent[3]) / 2
    frame = box(*extent)

    for feature in base:
        kind = feature["properties"].get("kind")
        if kind in ("river", "lake"):
            geom = shape(feature["geometry"]).intersection(frame)
            for part in getattr(geom, "geoms", [geom]):
                if part.is_empty:
                    continue
                if part.geom_type == "LineString":
                    xs, ys = part.xy
                    ax.plot(xs, ys, color=RIVER, linewidth=1.6, zorder=5)
                elif part.geom_type == "Polygon":
                    ax.add_patch(Polygon(list(part.exterior.coords), facecolor="#a6cee3", edgecolor=RIVER, zorder=5))
    # Grids carry the colour (a township is red as soon as one grid is: 取最高级, so a county
    # of red townships would say little); townships are outlined and named with their level.
    raised = _draw_areas(ax, data.get("grids", []), fill=True, edge="#777777", width=0.25, z=10)
    raised += _draw_areas(ax, townships, fill=False, edge="#222222", width=1.6 if township_mode else 1.0, z=15)
    for feature in county:
        for ring in _rings(feature["geometry"]):
            ax.add_patch(Polygon(ring, facecolor="none", edgecolor="#5b4a3a", linewidth=2.2, linestyle="-.", zorder=16))
    for feature in townships:
        centre = shape(feature["geometry"]).representative_point()
        level = feature["properties"].get("level") or 0
        label = feature["properties"]["name"] + (f"\n{text['levels'][level]}" if level else "")
        ax.text(centre.x, centre.y, label, fontsize=6.5 if not township_mode else 11, linespacing=1.1,
                ha="center", va="center", zorder=25, color="#111111",
                bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "alpha": 0.6, "linewidth": 0})

    points = data.get("points", [])
    for level in (4, 3, 2, 1, 0):  # the highest drawn last, on top
        chosen = [f for f in points if f["properties"]["level"] == level and not f["properties"].get("installation")]
        if chosen:
            ax.scatter([f["geometry"]["coordinates"][0] for f in chosen],
                       [f["geometry"]["coordinates"][1] for f in chosen], s=14, c=LEVEL_HEX[level],
                       edgecolors="white", linewidths=0.5, zorder=20 + (4 - level) * 0.1)
    installations = data.get("installations", [])
    if installations:
        ax.scatter([f["geometry"]["coordinates"][0] for f in installations],
                   [f["geometry"]["coordinates"][1] for f in installations], s=70, marker="^",
                   c=[LEVEL_HEX.get(f["properties"].get("level") or 2) for f in installations],
                   edgecolors="black", linewidths=1.2, zorder=22)
    gatherings = data.get("gatherings", [])
    if gatherings:
        ax.scatter([f["geometry"]["coordinates"][0] for f in gatherings],
                   [f["geometry"]["coordinates"][1] for f in gatherings], s=140, marker="*",
                   c=[LEVEL_HEX.get(f["properties"]["level"] or 0) for f in gatherings],
                   edgecolors="black", linewidths=0.8, zorder=23)

    ax.set_xlim(extent[0], extent[2])
    ax.set_ylim(extent[1], extent[3])
    ax.set_aspect(1 / math.cos(math.radians(lat0)))
    _north_arrow(ax, text)
    _scale_bar(ax, extent, lat0, text)

    figure.text(0.5, 0.95, title, ha="center", va="center", fontsize=20, fontweight="bold")
    if subtitle:
        figure.text(0.5, 0.915, subtitle, ha="center", va="center", fontsize=10, color="#444444")
    handles = [Patch(facecolor=LEVEL_HEX[level], edgecolor="#333333", label=text["levels"][level])
               for level in (1, 2, 3, 4)]
    handles.append(Patch(facecolor=NO_LEVEL_FILL, edgecolor="#333333", label=text["levels"][0]))
    handles.append(Patch(facecolor="white", edgecolor="#5a0000", hatch="////", label=text["raised"]))
    handles.append(Line2D([], [], marker="o", linestyle="", markerfacecolor="#888888", markeredgecolor="white",
                          markersize=6, label=text["point"]))
    handles.append(Line2D([], [], marker="^", linestyle="", markerfacecolor=LEVEL_HEX[2], markeredgecolor="black",
                          markersize=9, label=text["installation"]))
    handles.append(Line2D([], [], marker="*", linestyle="", markerfacecolor=LEVEL_HEX[3], markeredgecolor="black",
                          markersize=12, label=text["gathering"]))
    handles.append(Line2D([], [], color=RIVER, linewidth=1.6, label=text["river"]))
    handles.append(Line2D([], [], color="#5b4a3a", linewidth=2.2, linestyle="-.", label=text["county"]))
    figure.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.77, 0.88), title=text["legend"],
                  fontsize=9, title_fontsize=11, frameon=True)
    counts = [sum(1 for f in points if f["properties"]["level"] == level) for level in (1, 2, 3, 4)]
    summary = "\n".join(f"{text['levels'][n + 1]}　{count}" for n, count in enumerate(counts))
    figure.text(0.77, 0.40, text["counts"] + "\n" + summary, fontsize=8.5, va="top", linespacing=1.6)
    if raised:
        lines = raised[:8] + ([text["more"] % {"n": len(raised) - 8}] if len(raised) > 8 else [])
        figure.text(0.77, 0.25, text["raised_list"] + "\n" + "\n".join(lines), fontsize=8, va="top",
                    color="#5a0000", wrap=True, linespacing=1.5)
    figure.text(0.97, 0.025, text["date"] % {"date": on.strftime("%Y年%m月%d日")}, ha="right", fontsize=9)
    figure.text(0.03, 0.025, text["source"], ha="left", fontsize=8, color="#555555")
    buffer = io.BytesIO()
    figure.savefig(buffer, format=fmt, dpi=PNG_DPI if fmt == "png" else 72,
                   metadata={"Title": title} if fmt == "pdf" else None)
    return buffer.getvalue()
