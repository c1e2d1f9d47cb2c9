"""Shared pieces of the workbook kinds: columns, a parsed row, cell readers."""
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from citysafe.registry.io.codes import CodeBook
from citysafe.registry.io.person_refs import split_references

ROW_LEVEL = ""  # errors not tied to one column go to the error column only


@dataclass(frozen=True)
class Column:
    header: str
    key: str                     # the service's field name (or a pseudo key for lookups)
    rule: str                    # shown on the 说明 sheet
    required: bool = False
    choices: tuple = ()          # labels offered in a drop-down
    table: str = ""              # code table offered in a drop-down: industry/township/grid/organisation/area
    width: int = 16
    text: bool = False           # identifiers and codes: text cells only (a number cell is refused)
    importable: bool = True      # export-only columns are accepted and ignored on import
    exportable: bool = True


def labels(choices) -> dict[str, str]:
    return {str(label): value for value, label in choices}


def text(value) -> str:
    """A cell as text: numbers typed into code columns come back as their digits."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def is_number_cell(value) -> bool:
    """A cell Excel or LibreOffice stored as a number (openpyxl gives int or float)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def number_cell_message(header: str) -> str:
    return _("%(col)s必须以文本格式填写（该单元格是数字，可能已被Excel改写）") % {"col": header}


def codes_list(value) -> list[str]:
    raw = text(value).replace("，", ",").replace("、", ",").replace(";", ",")
    return [part.strip() for part in raw.split(",") if part.strip()]


@dataclass
class ParsedRow:
    key: object = None
    data: dict = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)  # header -> messages

    def fail(self, header: str, message: str):
        self.errors.setdefault(header, []).append(message)


class Kind:
    name = ""
    label = ""   # the Chinese workbook name (sheet titles, file names): the same in every language
    title = ""   # the kind's name in the reader's language (gettext_lazy), for pages; label if unset
    model = None
    resource = ""
    columns: list[Column] = []
    key_headers: tuple[str, ...] = ()

    @property
    def display_name(self):
        """The kind's name in the reader's language: its own title, else the title of the record
        kind it belongs to (core.kinds, e.g. a test-only or later app's kind), else the label."""
        if self.title:
            return self.title
        from citysafe.core.kinds import registry

        try:
            return registry.get_kind(self.name).title
        except KeyError:
            return self.label

    # --- shared helpers --------------------------------------------------------------
    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def header(self, key: str) -> str:
        return self.column(key).header

    @property
    def import_columns(self):
        return [c for c in self.columns if c.importable]

    @property
    def export_columns(self):
        return [c for c in self.columns if c.exportable]

    def error_headers(self, service_field: str, row: ParsedRow) -> list[str]:
        """Which column(s) a service's error key stands for."""
        for column in self.columns:
            if column.key == service_field:
                return [column.header]
        return [ROW_LEVEL]

    def _identifier(self, row: ParsedRow, cells: dict, key: str) -> str:
        """The text of an identifier or code cell. A number cell is refused, never converted:
        Excel keeps 15 significant digits, so an 18-digit ID number typed as a number has
        already lost its last digits (and may even pass the check digit)."""
        column = self.column(key)
        value = cells.get(column.header)
        if column.text and is_number_cell(value):
            row.fail(column.header, number_cell_message(column.header))
            return ""
        return text(value)

    def _code(self, row: ParsedRow, cells: dict, key: str, lookup, data_key: str, what: str):
        column = self.column(key)
        value = self._identifier(row, cells, key)
        if not value:
            return
        found = lookup(value)
        if found is None:
            row.fail(column.header, _("%(what)s“%(code)s”不存在") % {"what": what, "code": value})
        else:
            row.data[data_key] = found

    def _choice(self, row: ParsedRow, cells: dict, key: str, choices_class, book: CodeBook):
        column = self.column(key)
        value = text(cells.get(column.header))
        if not value:
            return
        mapping = book.values_by_label(choices_class)
        if value in mapping:
            row.data[key] = mapping[value]
        elif value in mapping.values():
            row.data[key] = value
        else:
            row.fail(column.header, _("取值无效，可选：%(choices)s") % {"choices": "、".join(mapping)})

    def _text(self, row: ParsedRow, cells: dict, *keys):
        for key in keys:
            column = self.column(key)
            if column.header in cells:
                row.data[key] = self._identifier(row, cells, key)

    def _number(self, row: ParsedRow, cells: dict, *keys, integer: bool = False):
        for key in keys:
            column = self.column(key)
            value = cells.get(column.header)
            if value in (None, ""):
                continue
            try:
                row.data[key] = int(value) if integer else float(value)
            except (TypeError, ValueError):
                row.fail(column.header, _("必须是整数") if integer else _("必须是数字"))

    def _person(self, row: ParsedRow, cells: dict, key: str, book: CodeBook) -> None:
        """One responsible person; an empty cell leaves the link as it is (see person_refs)."""
        column = self.column(key)
        value = text(cells.get(column.header))
        if not value:
            return
        pk, problem = book.persons.resolve(value)
        if problem:
            row.fail(column.header, problem)
        else:
            row.data[key] = pk

    def _persons(self, row: ParsedRow, cells: dict, key: str, book: CodeBook) -> None:
        """Several responsible persons, separated by “；”; an empty cell leaves them as they are."""
        column = self.column(key)
        ids, problems = [], []
        for value in split_references(text(cells.get(column.header))):
            pk, problem = book.persons.resolve(value)
            if problem:
                problems.append(problem)
            elif pk not in ids:
                ids.append(pk)
        for problem in problems:
            row.fail(column.header, problem)
        if ids and not problems:
            row.data[key] = ids

    def _check(self, row: ParsedRow, header: str, validator, value) -> None:
        if not value:
            return
        try:
            validator(value)
        except ValidationError as exc:
            for message in exc.messages:
                row.fail(header, message)

    # --- to implement per kind ----------------------------------------------------------
    def parse(self, cells: dict, book: CodeBook, gcj02: bool) -> ParsedRow:
        raise NotImplementedError

    def existing(self, key, book: CodeBook):
        raise NotImplementedError

    # The record kind this workbook kind belongs to (core.kinds.RecordKind, attached when the
    # app registers its kinds): a workbook row is saved through that kind's services, so it
    # obeys exactly the rules a form or an API call does. False for ledger-only kinds.
    record_kind = None
    workbook_import: bool = True

    def save(self, actor, pk, data: dict, **kwargs):
        if not self.workbook_import or self.record_kind is None:
            raise TypeError(f"{self.name} is not imported from workbooks")
        return self.record_kind.save(actor, pk, data, **kwargs)

    def remember(self, key, instance, book: CodeBook) -> None:
        raise NotImplementedError

    export_fields: tuple[str, ...] = ()

    def export_row(self, record: dict, book: CodeBook) -> list:
        raise NotImplementedError

    def export_geometry(self, record: dict):
        return None


def _ref(mapping: dict, pk) -> str:
    return mapping.get(pk, "") if pk else ""
