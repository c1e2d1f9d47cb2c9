"""What each registry page shows: columns, filters, form, services. One table so the five
record kinds share one set of views (list, detail, form, archive, purge)."""
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from citysafe.accounts.models import Organisation
from citysafe.core import masking, scope
from citysafe.registry import forms, services
from citysafe.registry.models import Area, Enterprise, Person, Place, PlaceType


@dataclass(frozen=True)
class Column:
    label: str
    value: Callable[[Model], object]
    key: str = ""


@dataclass(frozen=True)
class Filter:
    """A list filter: `name` is a selectors.LISTS filter key; choices come from `choices(user)`."""
    name: str
    label: str
    choices: Callable


@dataclass(frozen=True)
class Resource:
    key: str
    model: type[Model]
    title: str
    form: type[forms.RecordForm]
    create: Callable
    update: Callable
    columns: list[Column]
    filters: list[Filter] = field(default_factory=list)
    prefetch: tuple[str, ...] = ()

    def geometry(self, obj):
        if isinstance(obj, Enterprise):
            return {"type": "Point", "coordinates": [obj.lon, obj.lat]}
        return getattr(obj, "geometry", None)


def _townships(user):
    return [(a.pk, a.name) for a in scope.narrow(user, Area.objects.filter(level=Area.Level.TOWNSHIP)).order_by("code")]


def _grids(user):
    return [(a.pk, a.name) for a in scope.narrow(user, Area.objects.filter(level=Area.Level.GRID)).order_by("code")]


def _industries(user):
    from citysafe.registry.models import Industry
    return [(i.pk, i.name) for i in scope.narrow(user, Industry.objects.all()).order_by("code")]


def _fixed(choices):
    return lambda user: list(choices)


TOWNSHIP = Filter("township_id", _("乡镇"), _townships)
GRID = Filter("grid_id", _("网格"), _grids)
INDUSTRY = Filter("industry_id", _("行业"), _industries)

RESOURCES: dict[str, Resource] = {
    "enterprises": Resource(
        key="enterprises", model=Enterprise, title=_("企业"), form=forms.EnterpriseForm,
        create=services.create_enterprise, update=services.update_enterprise,
        columns=[
            Column(_("企业名称"), lambda o: o.name, "name"),
            Column(_("统一社会信用代码"), lambda o: o.uscc, "uscc"),
            Column(_("行业"), lambda o: o.industry, "industry"),
            Column(_("所属乡镇"), lambda o: o.township, "township"),
            Column(_("所属网格"), lambda o: o.grid or "", "grid"),
            Column(_("经营状态"), lambda o: o.get_operating_status_display(), "operating_status"),
        ],
        filters=[TOWNSHIP, GRID, INDUSTRY,
                 Filter("scale", _("规模"), _fixed(Enterprise.Scale.choices)),
                 Filter("operating_status", _("经营状态"), _fixed(Enterprise.OperatingStatus.choices))],
    ),
    "places": Resource(
        key="places", model=Place, title=_("场所设施"), form=forms.PlaceForm,
        create=services.create_place, update=services.update_place,
        columns=[
            Column(_("名称"), lambda o: o.name, "name"),
            Column(_("类型"), lambda o: o.get_place_type_display(), "place_type"),
            Column(_("行业"), lambda o: o.industry or "", "industry"),
            Column(_("所属乡镇"), lambda o: o.township, "township"),
            Column(_("所属网格"), lambda o: o.grid or "", "grid"),
            Column(_("产权/使用单位"), lambda o: o.owner_enterprise or "", "owner_enterprise"),
        ],
        filters=[TOWNSHIP, GRID, INDUSTRY, Filter("place_type", _("类型"), _fixed(PlaceType.choices))],
    ),
    "persons": Resource(
        key="persons", model=Person, title=_("人员"), form=forms.PersonForm,
        create=services.create_person, update=services.update_person,
        columns=[
            Column(_("姓名"), lambda o: o.name, "name"),
            Column(_("电话"), lambda o: o.phone, "phone"),
            Column(_("身份证号码"), lambda o: masking.id_number_for(None, o.id_number, listing=True), "id_number"),
            Column(_("职务"), lambda o: o.title, "title"),
            Column(_("所在单位"), lambda o: o.enterprise or o.organisation or "", "unit"),
            Column(_("所属乡镇"), lambda o: o.township or "", "township"),
        ],
        filters=[TOWNSHIP, GRID],
    ),
    "areas": Resource(
        key="areas", model=Area, title=_("行政区域"), form=forms.AreaForm,
        create=services.create_area, update=services.update_area,
        columns=[
            Column(_("名称"), lambda o: o.name, "name"),
            Column(_("区划代码"), lambda o: o.code, "code"),
            Column(_("层级"), lambda o: o.get_level_display(), "level"),
            Column(_("上级区域"), lambda o: o.parent or "", "parent"),
            Column(_("常住人口"), lambda o: o.population if o.population is not None else "", "population"),
        ],
        filters=[Filter("level", _("层级"), _fixed(Area.Level.choices)), TOWNSHIP],
    ),
    "organisations": Resource(
        key="organisations", model=Organisation, title=_("组织机构"), form=forms.OrganisationForm,
        create=services.create_organisation, update=services.update_organisation,
        columns=[
            Column(_("名称"), lambda o: o.name, "name"),
            Column(_("编码"), lambda o: o.code, "code"),
            Column(_("类型"), lambda o: o.get_kind_display(), "kind"),
            Column(_("所辖区域"), lambda o: o.area or "", "area"),
            Column(_("监管行业"), lambda o: "、".join(i.name for i in o.industries.all()), "industries"),
        ],
        filters=[Filter("kind", _("类型"), _fixed(Organisation.Kind.choices))],
        prefetch=("industries",),
    ),
}
