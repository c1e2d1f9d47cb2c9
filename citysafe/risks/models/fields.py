"""JSON columns that read back as values a page can print: the generic detail page
(core.kinds.details) shows a field's value as text, and a Python list or dict repr
("['fire', 'poisoning']") means nothing to a reader. The stored JSON is unchanged, the values
are still a list / dict (API, exports, audit snapshots), and `deconstruct` names Django's
JSONField so migrations see no change."""
from django.db import models


class ShownList(list):
    """A list that prints as "甲、乙"; `labels` maps stored codes to their Chinese labels."""

    labels: dict = {}

    def __str__(self):
        return "、".join(str(self.labels.get(item, item)) for item in self)


class ShownDict(dict):
    """A dict of factor values that prints as "L=6，E=6，C=15"."""

    def __str__(self):
        return "，".join(f"{key.upper()}={value:g}" if isinstance(value, int | float) else f"{key}={value}"
                        for key, value in self.items())


class ShownListField(models.JSONField):
    def __init__(self, *args, labels=None, **kwargs):
        self.labels = labels
        super().__init__(*args, **kwargs)

    def from_db_value(self, value, expression, connection):
        value = super().from_db_value(value, expression, connection)
        if not isinstance(value, list):
            return value
        shown = ShownList(value)
        shown.labels = dict(self.labels) if self.labels else {}
        return shown

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.JSONField", args, kwargs


class ShownDictField(models.JSONField):
    def from_db_value(self, value, expression, connection):
        value = super().from_db_value(value, expression, connection)
        return ShownDict(value) if isinstance(value, dict) else value

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.JSONField", args, kwargs
