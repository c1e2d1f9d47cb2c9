"""The registry's record kinds, declared once each (core.kinds): from these core builds the
selectors, the REST routers (/api/v1/<key>), the pages (/registry/<key>/…), the workbook
import/export wiring and the scope-matrix test cases. Registered in RegistryConfig.ready()."""
from django.utils.translation import gettext_lazy as _

from citysafe.accounts.models import Organisation
from citysafe.core import masking, scope
from citysafe.core.kinds import Column, Filter, RecordKind, fixed
from citysafe.registry import forms, services
from citysafe.registry import schemas as s
from citysafe.registry.io.kinds import KINDS as WORKBOOK
from citysafe.registry.models import (
    Area,
    Enterprise,
    Industry,
    Person,
    Place,
    PlaceType,
)
from citysafe.registry.views.enterprise import enterprise_detail_extras


def _townships(user):
    return [(a.pk, a.name) for a in scope.narrow(user, Area.objects.filter(level=Area.Level.TOWNSHIP)).order_by("code")]


def _villages(user, **within):
    return [(a.pk, a.name) for a in scope.narrow(user, Area.objects.filter(level=Area.Level.VILLAGE, **within))
            .order_by("code")]


def _grids(user, **within):
    return [(a.pk, a.name) for a in scope.narrow(user, Area.objects.filter(level=Area.Level.GRID, **within))
            .order_by("code")]


def _industries(user):
    # What a record's industry may be for this user: a department, its own industries.
    return [(i.pk, i.name) for i in scope.choice_targets(user, Enterprise, "industry").order_by("code")]


def _enterprise_point(obj):
    return {"type": "Point", "coordinates": [obj.lon, obj.lat]}


TOWNSHIP = Filter("township_id", _("乡镇"), _townships)
VILLAGE = Filter("village_id", _("村（社区）"), _villages, follows={"township_id": "township"})
GRID = Filter("grid_id", _("网格"), _grids, follows={"township_id": "township", "village_id": "parent"})
PERSON_GRID = Filter("grid_id", _("网格"), _grids, follows={"township_id": "township"})
INDUSTRY = Filter("industry_id", _("行业"), _industries)
COMMON = {"namespace": "registry", "export_url": "io:export"}

ENTERPRISES = RecordKind(
    key="enterprises", singular="Enterprise", model=Enterprise, title=_("企业"), **COMMON,
    search=("name", "uscc", "address", "legal_representative"),
    filters=("township_id", "village_id", "grid_id", "industry_id", "scale", "standardisation_grade",
             "operating_status", "supervising_department_id"),
    ordering=("id", "name", "uscc", "created_at", "updated_at"),
    related=("industry", "township", "grid", "supervising_department"),
    item=s.EnterpriseOut, create_in=s.EnterpriseCreate, update_in=s.EnterpriseUpdate,
    create=services.create_enterprise, update=services.update_enterprise,
    form=forms.EnterpriseForm, geometry=_enterprise_point,
    columns=[
        Column(_("企业名称"), lambda o: o.name, "name"),
        Column(_("统一社会信用代码"), lambda o: o.uscc, "uscc"),
        Column(_("行业"), lambda o: o.industry, "industry"),
        Column(_("所属乡镇"), lambda o: o.township, "township"),
        Column(_("所属网格"), lambda o: o.grid or "", "grid"),
        Column(_("经营状态"), lambda o: o.get_operating_status_display(), "operating_status"),
    ],
    page_filters=[TOWNSHIP, VILLAGE, GRID, INDUSTRY, Filter("scale", _("规模"), fixed(Enterprise.Scale.choices)),
                  Filter("operating_status", _("经营状态"), fixed(Enterprise.OperatingStatus.choices))],
    detail_extras=enterprise_detail_extras, detail_templates=("registry/_enterprise_workflow.html",),
    io=WORKBOOK["enterprises"],
)

PLACES = RecordKind(
    key="places", singular="Place", model=Place, title=_("场所设施"), **COMMON,
    search=("name", "address"),
    filters=("township_id", "village_id", "grid_id", "industry_id", "place_type", "owner_enterprise_id",
             "supervising_department_id"),
    ordering=("id", "name", "place_type", "capacity", "created_at", "updated_at"),
    related=("industry", "township", "grid", "owner_enterprise"),
    detail_prefetch=("responsible_persons",),
    item=s.PlaceOut, detail=s.PlaceDetail, create_in=s.PlaceCreate, update_in=s.PlaceUpdate,
    create=services.create_place, update=services.update_place, form=forms.PlaceForm,
    columns=[
        Column(_("名称"), lambda o: o.name, "name"),
        Column(_("类型"), lambda o: o.get_place_type_display(), "place_type"),
        Column(_("行业"), lambda o: o.industry or "", "industry"),
        Column(_("所属乡镇"), lambda o: o.township, "township"),
        Column(_("所属网格"), lambda o: o.grid or "", "grid"),
        Column(_("产权/使用单位"), lambda o: o.owner_enterprise or "", "owner_enterprise"),
    ],
    page_filters=[TOWNSHIP, VILLAGE, GRID, INDUSTRY, Filter("place_type", _("类型"), fixed(PlaceType.choices))],
    io=WORKBOOK["places"],
    mixed_geometry=True,
)


def _mask_listed_id_numbers(rows, user):
    for row in rows:
        row["id_number"] = masking.id_number_for(None, row["id_number"], listing=True)


PERSONS = RecordKind(
    key="persons", singular="Person", model=Person, title=_("人员"), **COMMON,
    search=("name", "phone", "title"),
    filters=("township_id", "grid_id", "enterprise_id", "organisation_id"),
    ordering=("id", "name", "created_at"),
    related=("enterprise", "organisation", "township"),
    item=s.PersonOut, detail=s.PersonDetail, create_in=s.PersonCreate, update_in=s.PersonUpdate,
    list_fields={"id_number": _mask_listed_id_numbers},
    create=services.create_person, update=services.update_person, form=forms.PersonForm,
    columns=[
        Column(_("姓名"), lambda o: o.name, "name"),
        Column(_("电话"), lambda o: o.phone, "phone"),
        Column(_("身份证号码"), lambda o: masking.id_number_for(None, o.id_number, listing=True), "id_number"),
        Column(_("职务"), lambda o: o.title, "title"),
        Column(_("所在单位"), lambda o: o.enterprise or o.organisation or "", "unit"),
        Column(_("所属乡镇"), lambda o: o.township or "", "township"),
    ],
    page_filters=[TOWNSHIP, PERSON_GRID],
    io=WORKBOOK["persons"],
)

AREAS = RecordKind(
    key="areas", singular="Area", model=Area, title=_("行政区域"), **COMMON,
    search=("name", "code"), filters=("level", "parent_id", "township_id"), ordering=("id", "code", "name"),
    related=("parent",),
    item=s.AreaOut, create_in=s.AreaCreate, update_in=s.AreaUpdate,
    create=services.create_area, update=services.update_area, form=forms.AreaForm,
    columns=[
        Column(_("名称"), lambda o: o.name, "name"),
        Column(_("区划代码"), lambda o: o.code, "code"),
        Column(_("层级"), lambda o: o.get_level_display(), "level"),
        Column(_("上级区域"), lambda o: o.parent or "", "parent"),
        Column(_("常住人口"), lambda o: o.population if o.population is not None else "", "population"),
    ],
    page_filters=[Filter("level", _("层级"), fixed(Area.Level.choices)), TOWNSHIP],
    io=WORKBOOK["areas"],
)

# Industries have no pages of their own (the admin site edits them): no form.
INDUSTRIES = RecordKind(
    key="industries", singular="Industry", model=Industry, title=_("行业"), **COMMON,
    search=("name", "code"), ordering=("id", "code", "name"),
    item=s.IndustryOut, create_in=s.IndustryCreate, update_in=s.IndustryUpdate,
    create=services.create_industry, update=services.update_industry,
    io=WORKBOOK["industries"],
)


def _industry_ids(rows, user):
    through = Organisation.industries.through
    ids: dict[int, list[int]] = {row["id"]: [] for row in rows}
    for org, industry in through.objects.filter(organisation_id__in=ids).values_list("organisation_id", "industry_id"):
        ids[org].append(industry)
    for row in rows:
        row["industry_ids"] = sorted(ids[row["id"]])


ORGANISATIONS = RecordKind(
    key="organisations", singular="Organisation", model=Organisation, title=_("组织机构"), **COMMON,
    search=("name", "code"), filters=("kind", "area_id"), ordering=("id", "code", "name", "kind"),
    related=("area",), prefetch=("industries",),
    item=s.OrganisationOut, create_in=s.OrganisationCreate, update_in=s.OrganisationUpdate,
    list_fields={"industry_ids": _industry_ids},
    create=services.create_organisation, update=services.update_organisation, form=forms.OrganisationForm,
    columns=[
        Column(_("名称"), lambda o: o.name, "name"),
        Column(_("编码"), lambda o: o.code, "code"),
        Column(_("类型"), lambda o: o.get_kind_display(), "kind"),
        Column(_("所辖区域"), lambda o: o.area or "", "area"),
        Column(_("监管行业"), lambda o: "、".join(i.name for i in o.industries.all()), "industries"),
    ],
    page_filters=[Filter("kind", _("类型"), fixed(Organisation.Kind.choices))],
    io=WORKBOOK["organisations"],
)

KINDS = (ENTERPRISES, PLACES, PERSONS, AREAS, INDUSTRIES, ORGANISATIONS)
