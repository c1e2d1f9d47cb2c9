"""The restricted / obsolete industry catalogue as a record kind (core.kinds):
/api/v1/restricted-industry-items, pages /siting/restricted-industry-items/…"""
from typing import Optional

from django import forms
from django.utils.translation import gettext_lazy as _
from ninja import Schema

from citysafe.core.kinds import Column, Filter, RecordKind, fixed
from citysafe.core.kinds.forms import RecordForm
from citysafe.core.kinds.schemas import patch_schema
from citysafe.core.kinds.types import Id, NotOnCreate, Text, Version, choice_in, choice_out
from citysafe.registry.models import Industry
from citysafe.siting.models import CatalogueCategory, CatalogueItemKind, RequiredAction, RestrictedIndustryItem
from citysafe.siting.services import catalogue


class RestrictedIndustryItemOut(Schema):
    id: int
    version: int
    category: choice_out(CatalogueCategory.choices)
    item_kind: choice_out(CatalogueItemKind.choices)
    name: str
    keywords: str
    industry_id: Optional[int]
    source_document: str
    clause: str
    action: choice_out(RequiredAction.choices)
    default_deadline_days: int
    note: str


class _RestrictedIndustryItemUpdate(Schema):
    version: Version
    category: Optional[choice_in(CatalogueCategory.choices)] = None
    item_kind: Optional[choice_in(CatalogueItemKind.choices)] = None
    name: Optional[Text] = None
    keywords: Optional[Text] = None
    industry_id: Optional[Id] = None
    source_document: Optional[Text] = None
    clause: Optional[Text] = None
    action: Optional[choice_in(RequiredAction.choices)] = None
    default_deadline_days: Optional[int] = None
    note: Optional[Text] = None


RestrictedIndustryItemUpdate = patch_schema(_RestrictedIndustryItemUpdate, RestrictedIndustryItem)


class RestrictedIndustryItemCreate(RestrictedIndustryItemUpdate):
    version: NotOnCreate = None
    category: choice_in(CatalogueCategory.choices)
    item_kind: choice_in(CatalogueItemKind.choices)
    name: Text
    source_document: Text
    action: choice_in(RequiredAction.choices)


class RestrictedIndustryItemForm(RecordForm):
    model = RestrictedIndustryItem
    category = forms.ChoiceField(label=_("类别"), choices=CatalogueCategory.choices)
    item_kind = forms.ChoiceField(label=_("条目类型"), choices=CatalogueItemKind.choices)
    name = forms.CharField(label=_("名称"), max_length=200)
    keywords = forms.CharField(label=_("关键词（逗号分隔）"), max_length=300, required=False)
    industry_id = forms.ModelChoiceField(label=_("行业"), required=False,
                                         queryset=Industry.objects.filter(archived_at__isnull=True))
    source_document = forms.CharField(label=_("依据文件"), max_length=200)
    clause = forms.CharField(label=_("条款"), max_length=100, required=False)
    action = forms.ChoiceField(label=_("处置要求"), choices=RequiredAction.choices)
    default_deadline_days = forms.IntegerField(label=_("默认整改期限（天）"), min_value=1,
                                               max_value=catalogue.MAX_DEADLINE_DAYS)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


CATALOGUE = RecordKind(
    key="restricted-industry-items", singular="RestrictedIndustryItem", model=RestrictedIndustryItem,
    title=_("限制淘汰类产业目录"), namespace="siting",
    search=("name", "keywords", "source_document", "note"), filters=("category", "action", "industry_id"),
    ordering=("id", "category", "name"),
    item=RestrictedIndustryItemOut, create_in=RestrictedIndustryItemCreate, update_in=RestrictedIndustryItemUpdate,
    create=catalogue.create_item, update=catalogue.update_item, form=RestrictedIndustryItemForm,
    columns=[Column(_("类别"), lambda o: o.get_category_display(), "category"),
             Column(_("条目类型"), lambda o: o.get_item_kind_display(), ""),
             Column(_("名称"), lambda o: o.name, "name"),
             Column(_("处置要求"), lambda o: o.get_action_display(), ""),
             Column(_("依据文件"), lambda o: f"{o.source_document} {o.clause}".strip(), "")],
    page_filters=[Filter("category", _("类别"), fixed(CatalogueCategory.choices)),
                  Filter("action", _("处置要求"), fixed(RequiredAction.choices))],
    geometry=lambda o: None,
)
