"""Printing the four-colour map: title, scope, audit. Used by the page's download links and by
`manage.py render_risk_map`; the drawing itself is render.py."""
from urllib.parse import quote

from django.utils import timezone
from django.utils.translation import gettext as _

from citysafe.core import masking
from citysafe.core.audit import record_change
from citysafe.registry.models import Area
from citysafe.risks.map import layers
from citysafe.risks.map.render import FORMATS, render_map
from citysafe.risks.models import RiskLevel

__all__ = ["FORMATS", "disposition", "map_title", "render_for"]


def county_name() -> str:
    county = Area.objects.filter(level=Area.Level.COUNTY, archived_at__isnull=True).order_by("id").first()
    return county.name if county else _("本县")


def map_title(user, township: Area | None) -> str:
    """"东乡族自治县安全风险四色分布图", or the township's."""
    if township is None and user is not None and getattr(user, "role", None) == "township" and user.organisation:
        township = user.organisation.area
    name = township.name if township is not None else county_name()
    return _("%(name)s安全风险四色分布图") % {"name": name}


def legend_text() -> dict:
    levels = {level: str(label) for level, label in RiskLevel.choices}
    levels[0] = _("未评估")
    return {
        "levels": levels, "raised": _("临时提级区域"), "point": _("风险点（按等级着色）"),
        "installation": _("重大危险源"), "gathering": _("进行中的大型群众性活动"), "river": _("河流湖泊"),
        "county": _("县界"), "legend": _("图例"), "counts": _("风险点数量："), "raised_list": _("临时提级："),
        "more": _("另有%(n)s处"), "date": _("制图日期：%(date)s"), "north": _("北"),
        "source": _("城市安全风险信息管理平台"), "km": _("%(n)s 公里"), "m": _("%(n)s 米"),
    }


def render_for(user, *, fmt: str, filters: dict, township: Area | None, channel_note: str = "") -> tuple[bytes, str]:
    """The map as `user` may see it, as PNG or PDF bytes, and its file name. Audited like every export."""
    from citysafe.registry.map.base import static_base_features

    if township is not None:
        filters = {**filters, "township": township.pk}
    data = layers.map_data(layers.Viewer(user=user), filters)
    title = map_title(user, township)
    today = timezone.localdate()
    subtitle = _("风险点 %(points)s 个 · 重大危险源 %(installations)s 处") % {
        "points": len(data["points"]), "installations": len(data["installations"])}
    content = render_map(data, title=title, township_mode=township is not None, base=static_base_features(),
                         fmt=fmt, on=today, text=legend_text(), subtitle=subtitle)
    record_change(actor=user, action="export", object_type="risks.RiskPoint", object_id="", object_repr=title,
                  after={"resource": "risk-map", "format": fmt, "filters": filters, "rows": len(data["points"]),
                         "installations": len(data["installations"]), "note": channel_note,
                         "id_numbers": "full" if masking.sees_full_id_numbers(user) else "masked"})
    return content, f"{title}_{today:%Y%m%d}.{fmt}"


def disposition(filename: str) -> str:
    """An attachment header that keeps a Chinese file name (RFC 6266 / 5987) with an ASCII fallback."""
    return f"attachment; filename=\"citysafe.{filename.rsplit('.', 1)[-1]}\"; filename*=UTF-8''{quote(filename)}"
