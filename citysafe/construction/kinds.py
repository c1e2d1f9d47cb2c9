"""The construction app's record kinds: projects, high-danger works, work permits.

Their schemas, services, page forms and workbook columns are generated from the models by the
emergency app's kind kit (citysafe/emergency/kindkit.py, a lower layer: it maps plain, choice,
number, date and foreign-key fields for any model), so only what is particular is written here:
the rules (rules.py), masked phones, the permit's date-times and the workflow sections."""
from dataclasses import replace
from datetime import date, datetime
from typing import Optional

from django import forms
from django.utils.translation import gettext_lazy as _
from pydantic import create_model

from citysafe.construction import rules
from citysafe.construction.models import ConstructionProject, HighDangerWork, WorkPermit
from citysafe.construction.rules import mask_phone
from citysafe.construction.workbook import ProjectWorkbook
from citysafe.core.kinds.schemas import patch_schema
from citysafe.emergency.kindkit import Spec, build, col

NAMESPACE = "construction"
PHONES = ("project_manager_phone", "safety_officer_phone")


def _mask_listed_phones(field):
    def fill(rows, user):
        for row in rows:
            row[field] = mask_phone(row.get(field) or "")
    return fill


def _masked(field):
    return staticmethod(lambda obj: mask_phone(getattr(obj, field) or ""))


def _project_kind():
    kind = build(Spec(
        ConstructionProject, key="construction-projects", singular="ConstructionProject", title=_("建设工程项目"),
        fields=("code", "name", "permit_number", "builder", "contractor", "supervisor", "site", "start_on",
                "planned_end_on", "status", "project_manager", "project_manager_phone", "safety_officer",
                "safety_officer_phone", "note"),
        required=("code", "name", "builder", "contractor", "site"), filters=("township_id", "status"),
        search=("name", "code", "permit_number"),
        columns=[col(_("项目名称"), "name", "name"), col(_("项目编号"), "code", "code"),
                 col(_("施工许可证号"), "permit_number"), col(_("施工单位"), "contractor"),
                 col(_("项目状态"), "status"), col(_("所属乡镇"), "township")],
        check=rules.check_project,
        detail_extras=lambda request, obj: _extras("project", request, obj),
        detail_templates=("construction/_project.html",)))
    # Phones of the project's people: masked on every page and in the API (the full number is in
    # the edit form, for those who may change the project), like personal data elsewhere.
    item = type("ConstructionProjectOut", (kind.item,), {f"resolve_{f}": _masked(f) for f in PHONES})
    item = create_model("ConstructionProjectOut", __base__=item, township_id=(int, ...), township_name=(str, ""),
                        grid_id=(Optional[int], None))
    return replace(kind, namespace=NAMESPACE, item=item, list_fields={f: _mask_listed_phones(f) for f in PHONES},
                   related=(*kind.related, "township"), io=ProjectWorkbook(), export_url="io:export",
                   geometry=lambda obj: obj.site.geometry if obj.site_id else None)


def _work_kind():
    kind = build(Spec(
        HighDangerWork, key="high-danger-works", singular="HighDangerWork", title=_("危大工程"),
        fields=("project", "code", "name", "category", "scale_value", "scale_description", "planned_start_on"),
        required=("project", "code", "name", "category"), filters=("category", "status"),
        readonly=("status", "review_conclusion", "review_experts", "review_on"),
        columns=[col(_("工程名称"), "name", "name"), col(_("工程编号"), "code", "code"), col(_("类别"), "category"),
                 col(_("规模说明"), "scale_description"), col(_("状态"), "status"), col(_("所属项目"), "project")],
        check=rules.check_work,
        detail_extras=lambda request, obj: _extras("work", request, obj),
        detail_templates=("construction/_work.html",)))
    item = create_model("HighDangerWorkOut", __base__=kind.item, review_on=(Optional[date], None))
    return replace(kind, namespace=NAMESPACE, item=item, geometry=lambda obj: None)


_PERMIT_TIMES = {"valid_from": (datetime, ...), "valid_to": (datetime, ...)}


def _permit_kind():
    kind = build(Spec(
        WorkPermit, key="work-permits", singular="WorkPermit", title=_("危险作业票"),
        fields=("project", "code", "kind", "work_location", "content", "in_hazardous_area", "valid_from", "valid_to",
                "guardian"),
        required=("project", "code", "kind", "work_location", "valid_from", "valid_to"), filters=("kind", "status"),
        search=("code", "work_location"), readonly=("status",),
        columns=[col(_("作业票编号"), "code", "code"), col(_("作业类别"), "kind"), col(_("作业地点"), "work_location"),
                 col(_("有效期自"), "valid_from"), col(_("有效期至"), "valid_to"), col(_("状态"), "status"),
                 col(_("所属项目"), "project")],
        check=rules.check_permit,
        detail_extras=lambda request, obj: _extras("permit", request, obj),
        detail_templates=("construction/_permit.html",)))
    # The kit maps dates; a permit's window is to the minute.
    optional_times = dict.fromkeys(_PERMIT_TIMES, (Optional[datetime], None))
    gas = dict.fromkeys(("oxygen_percent", "combustible_percent_lel", "toxic_ppm"), (Optional[float], None))
    item = create_model("WorkPermitOut", __base__=kind.item, **_PERMIT_TIMES, **gas,
                        gas_tested_at=(Optional[datetime], None), applicant_id=(Optional[int], None),
                        approver_id=(Optional[int], None))
    update_in = patch_schema(create_model("_WorkPermitUpdate", __base__=kind.update_in, **optional_times), WorkPermit)
    create_in = create_model("WorkPermitCreate", __base__=kind.create_in, **_PERMIT_TIMES)
    form = type("WorkPermitForm", (kind.form,), {
        name: forms.DateTimeField(label=WorkPermit._meta.get_field(name).verbose_name,
                                  input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
                                  widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                             format="%Y-%m-%dT%H:%M"))
        for name in _PERMIT_TIMES})
    return replace(kind, namespace=NAMESPACE, item=item, update_in=update_in, create_in=create_in, form=form,
                   io=None, export_url="", geometry=lambda obj: None)


def _extras(what, request, obj):
    from citysafe.construction.views import sections

    return sections.context(what, request, obj)


PROJECTS, WORKS, PERMITS = _project_kind(), _work_kind(), _permit_kind()
KINDS = [PERMITS, WORKS, PROJECTS]  # dependents first (whoever empties the kinds in this order)
