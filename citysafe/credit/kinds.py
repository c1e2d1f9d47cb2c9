"""The credit app's record kinds, declared once each (API /api/v1/<key>, pages /credit/<key>/,
scope matrices), generated from their models by the emergency app's kind kit; the rules that are
particular to a kind are the services' `check_*` functions. Workflow steps of list entries are
extra endpoints (api.py) and the entry page's buttons (views.py)."""
import dataclasses
from datetime import date
from typing import Optional

from django.utils.translation import gettext_lazy as _
from ninja import Schema
from pydantic import create_model

from citysafe.credit.models import (
    AgencyEvaluation,
    AgencyQualification,
    AgencyService,
    Claim,
    Criterion,
    IndustryBaseRate,
    InsurancePolicy,
    ListEntry,
    PremiumRule,
    ServiceAgency,
)
from citysafe.credit.services import agencies, entries, insurance
from citysafe.emergency.kindkit import Spec, build, col


def _kind(spec, *, extra_out=None, drop_out=(), pickers=(), io=True, **changes):
    kind = build(spec)
    if drop_out:  # `<fk>_name` of a target without a name column (a policy, a service): its code is the id
        fields = {n: (f.annotation, f) for n, f in kind.item.model_fields.items() if n not in drop_out}
        kind = dataclasses.replace(kind, item=create_model(kind.item.__name__, __base__=Schema, **fields))
    if extra_out:
        kind = dataclasses.replace(kind, item=create_model(f"{spec.singular}Detail", __base__=kind.item, **extra_out))
    if pickers:
        kind.form.PICKERS = frozenset(pickers)
    return dataclasses.replace(kind, namespace="credit", **({} if io else {"io": None, "export_url": ""}), **changes)


def _entry_extras(request, obj):
    from citysafe.credit.views import entry_detail_extras

    return entry_detail_extras(request, obj)


CRITERIA = _kind(Spec(
    Criterion, key="credit-criteria", singular="Criterion", title=_("严重失信列入情形"),
    fields=("code", "name", "basis", "publication_years", "objection_days", "repair_after_months",
            "joint_departments", "note"),
    required=("code", "name", "basis"), filters=(), search=("code", "name", "basis"),
    columns=[col(_("编号"), "code", "code"), col(_("列入情形"), "name", "name"), col(_("依据"), "basis"),
             col(_("公布期限（年）"), "publication_years")]))

ENTRIES = _kind(Spec(
    ListEntry, key="credit-entries", singular="ListEntry", title=_("严重失信主体名单"),
    fields=("enterprise", "criterion", "responsible_person", "basis_text", "basis_reference"),
    required=("enterprise", "criterion", "basis_text"), filters=("township_id", "status"),
    search=("code", "basis_text", "basis_reference"), check=entries.check_entry, readonly=("code", "status"),
    detail_extras=_entry_extras, detail_templates=("credit/_entry_workflow.html",),
    columns=[col(_("名单编号"), "code", "code"), col(_("失信主体"), "enterprise"), col(_("列入情形"), "criterion"),
             col(_("状态"), "status"), col(_("公布日期"), "published_on"), col(_("公布期满日期"), "expires_on")]),
    extra_out=dict.fromkeys(("notified_on", "published_on", "expires_on", "repair_applied_on", "removed_on"), (Optional[date], None))
    | {"repair_reason": (str, "")},
    pickers=("enterprise_id",), io=False)

PREMIUM_RULES = _kind(Spec(
    PremiumRule, key="premium-rules", singular="PremiumRule", title=_("保险费率浮动规则"),
    fields=("code", "name", "major_risk_pct", "significant_risk_pct", "general_risk_pct", "low_risk_pct",
            "general_hazard_pct", "major_hazard_pct", "hazard_cap_pct", "accident_pct", "death_pct", "listed_pct",
            "clean_pct", "floor_pct", "cap_pct", "lookback_years", "note"),
    required=("code", "name"), filters=(), search=("code", "name"), check=insurance.check_rule,
    columns=[col(_("编号"), "code", "code"), col(_("名称"), "name", "name"), col(_("合计下浮下限（%）"), "floor_pct"),
             col(_("合计上浮上限（%）"), "cap_pct")]))

BASE_RATES = _kind(Spec(
    IndustryBaseRate, key="industry-base-rates", singular="IndustryBaseRate", title=_("行业基准费率"),
    fields=("code", "industry", "base_rate_permille", "is_high_risk", "note"),
    required=("code", "industry", "base_rate_permille"), filters=(), search=("code", "note"),
    columns=[col(_("编号"), "code", "code"), col(_("行业"), "industry"), col(_("基准费率（‰）"), "base_rate_permille"),
             col(_("高危行业（应当投保）"), "is_high_risk")]), io=False)

POLICIES = _kind(Spec(
    InsurancePolicy, key="insurance-policies", singular="InsurancePolicy", title=_("安全生产责任保险保单"),
    fields=("code", "enterprise", "insurer", "starts_on", "ends_on", "insured_persons", "sum_per_person", "premium"),
    required=("code", "enterprise", "insurer", "starts_on", "ends_on", "sum_per_person", "premium"),
    filters=("township_id",), search=("code", "insurer"), check=insurance.check_policy,
    columns=[col(_("保单号"), "code", "code"), col(_("投保企业"), "enterprise"), col(_("保险机构"), "insurer"),
             col(_("保险止期"), "ends_on"), col(_("浮动后费率（‰）"), "floating_rate_permille")]),
    extra_out={"base_rate_permille": (Optional[float], None), "floating_rate_permille": (Optional[float], None),
               "rate_basis": (dict, {})},
    pickers=("enterprise_id",), io=False)

CLAIMS = _kind(Spec(
    Claim, key="insurance-claims", singular="Claim", title=_("保险理赔"),
    fields=("code", "policy", "accident_on", "deaths", "injuries", "claimed", "paid", "status", "description"),
    required=("code", "policy", "accident_on"), filters=("status",), search=("code", "description"),
    check=insurance.check_claim,
    columns=[col(_("理赔编号"), "code", "code"), col(_("保单"), "policy"), col(_("事故日期"), "accident_on"),
             col(_("死亡人数"), "deaths"), col(_("理赔状态"), "status")]), drop_out=("policy_name",), io=False)

AGENCIES = _kind(Spec(
    ServiceAgency, key="service-agencies", singular="ServiceAgency", title=_("安全生产技术服务机构"),
    fields=("code", "name", "address", "contact", "phone", "note"), required=("code", "name"), filters=(),
    columns=[col(_("统一社会信用代码"), "code", "code"), col(_("机构名称"), "name", "name"), col(_("联系人"), "contact")]))

QUALIFICATIONS = _kind(Spec(
    AgencyQualification, key="agency-qualifications", singular="AgencyQualification", title=_("机构资质"),
    fields=("code", "agency", "qualification_type", "issuer", "valid_from", "valid_until"),
    required=("code", "agency", "qualification_type", "valid_from", "valid_until"), filters=("qualification_type",),
    search=("code", "issuer"), check=agencies.check_qualification,
    columns=[col(_("资质证书编号"), "code", "code"), col(_("机构"), "agency"), col(_("资质类型"), "qualification_type"),
             col(_("有效期至"), "valid_until")]), io=False)

SERVICES = _kind(Spec(
    AgencyService, key="agency-services", singular="AgencyService", title=_("技术服务记录"),
    fields=("code", "agency", "enterprise", "service_type", "delivered_on", "summary"),
    required=("code", "agency", "enterprise", "service_type", "delivered_on"), filters=("township_id", "service_type"),
    search=("code", "summary"), check=agencies.check_service,
    columns=[col(_("服务编号"), "code", "code"), col(_("机构"), "agency"), col(_("服务企业"), "enterprise"),
             col(_("服务类型"), "service_type"), col(_("服务日期"), "delivered_on")]),
    pickers=("enterprise_id",), io=False)

EVALUATIONS = _kind(Spec(
    AgencyEvaluation, key="agency-evaluations", singular="AgencyEvaluation", title=_("服务评价"),
    fields=("code", "service", "score", "comment"), required=("code", "service", "score"), filters=(),
    search=("code", "comment"), check=agencies.check_evaluation,
    columns=[col(_("评价编号"), "code", "code"), col(_("技术服务"), "service"), col(_("评分（0-100）"), "score"),
             col(_("评价人"), "evaluator")]), drop_out=("service_name",), io=False)

KINDS = (CRITERIA, ENTRIES, PREMIUM_RULES, BASE_RATES, POLICIES, CLAIMS, AGENCIES, QUALIFICATIONS, SERVICES,
         EVALUATIONS)
