"""Form widgets of the record pages.

`PickerInput`: a reference field with thousands of possible targets (an enterprise, a person).
Without JavaScript it is a plain input that takes the record's number (id); with it,
static/citysafe/picker.js adds a search box that asks the kind's lookup endpoint
(core.kinds.choice_views.lookup: scoped, at most LOOKUP_LIMIT matches) and fills the id in.
Hand-written rather than a select library: the widgets on offer (select2, tom-select) load
every option into the page or need inline configuration that the CSP forbids; this is ~100
lines of script over one JSON endpoint."""
from django import forms
from django.utils.translation import gettext_lazy as _


class PickerInput(forms.TextInput):
    template_name = "records/widgets/picker.html"

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "numeric", "autocomplete": "off", "class": "picker-id", **(attrs or {})})
        self.label = ""  # the name of the record it holds, for the search box

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"].update({"picked_label": self.label, "search_label": _("输入名称或代码搜索"),
                                  "id_hint": _("填写编号，或启用脚本后按名称搜索")})
        return context
