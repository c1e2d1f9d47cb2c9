"""Form widgets of the record pages.

`PickerInput`: a reference field with thousands of possible targets (an enterprise, a person).
Without JavaScript it is a plain input that takes the record's number (id); with it,
static/citysafe/picker.js adds a search box that asks the kind's lookup endpoint
(core.kinds.choice_views.lookup: scoped, at most LOOKUP_LIMIT matches) and fills the id in.
`PickerMultipleInput` is the same for a many-to-many field (a place's responsible persons):
without JavaScript the input takes numbers separated by commas; with it, each chosen record is
a removable chip and the search adds more. Hand-written rather than a select library: the
widgets on offer (select2, tom-select) load every option into the page or need inline
configuration that the CSP forbids; this is ~150 lines of script over one JSON endpoint."""
import re

from django import forms
from django.utils.translation import gettext_lazy as _

_ID_SEPARATORS = re.compile(r"[\s,，、;；]+")


class PickerInput(forms.TextInput):
    template_name = "records/widgets/picker.html"
    multiple = False

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "numeric", "autocomplete": "off", "class": "picker-id", **(attrs or {})})
        self.label = ""  # the name of the record it holds, for the search box
        self.chosen: list[tuple[str, str]] = []  # (id, name) of the records a multiple picker holds

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"].update({
            "picked_label": self.label, "search_label": _("输入名称或代码搜索"), "multiple": self.multiple,
            "chosen": self.chosen, "remove_label": _("移除"),
            "id_hint": _("填写编号，多个编号用逗号分隔；或启用脚本后按名称搜索") if self.multiple
            else _("填写编号，或启用脚本后按名称搜索")})
        return context


class PickerMultipleInput(PickerInput):
    """Ids travel as one comma-separated value ("12,40"), typed by hand or kept by picker.js."""
    multiple = True

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "text", **(attrs or {})})

    def format_value(self, value):
        if value in (None, ""):
            return ""
        values = value if isinstance(value, (list, tuple, set)) else [value]
        return ",".join(str(getattr(v, "pk", v)) for v in values if v not in (None, ""))

    def value_from_datadict(self, data, files, name):
        raw = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
        return [part for value in raw if value for part in _ID_SEPARATORS.split(str(value)) if part]

    def value_omitted_from_data(self, data, files, name):
        return False  # an emptied list is a choice (no one), as with checkboxes
