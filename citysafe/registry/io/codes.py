"""Code tables for import and export, loaded once per run: the natural codes people type in
a workbook (区划代码, 行业代码, 组织编码, 统一社会信用代码) against database ids, both ways.

One query per table instead of one per row is what keeps a 100,000-row import and a
1,000,000-row export linear in the rows, not in the rows times the foreign keys.

Records with a data scope (enterprises, persons, places) are looked up among those the acting
user may see (core.scope.narrow): one outside it reads as unknown, on import and on export
alike, so a workbook never confirms that it exists elsewhere (an import creating a record whose
USCC or ID number is taken gets the services' neutral "已登记或无权使用"). Directories
(areas, industries, organisations) are county-wide; the services check what may be chosen.
"""
from functools import cached_property

from citysafe.accounts.models import Organisation
from citysafe.core import masking, scope
from citysafe.registry.io.person_refs import PersonDirectory
from citysafe.registry.models import Area, Enterprise, Industry, Person, Place


class CodeBook:
    def __init__(self, actor=None):
        self.actor = actor  # whose data scope limits the person directory
        self._labels: dict = {}

    def label(self, choices_class, value) -> str:
        """The display label of a TextChoices value; labels are lazy translations, resolved
        once per run instead of once per exported cell."""
        table = self._labels.get(choices_class)
        if table is None:
            table = self._labels[choices_class] = {v: str(label) for v, label in choices_class.choices}
        return table.get(value, value or "")

    def values_by_label(self, choices_class) -> dict[str, str]:
        key = ("by_label", choices_class)
        table = self._labels.get(key)
        if table is None:
            table = self._labels[key] = {str(label): v for v, label in choices_class.choices}
        return table

    # --- areas -----------------------------------------------------------------------
    @cached_property
    def area_rows(self) -> dict[str, tuple[int, str]]:
        return {code: (pk, level) for pk, code, level in Area.objects.filter(
            archived_at__isnull=True).values_list("id", "code", "level")}

    @cached_property
    def area_code(self) -> dict[int, str]:
        return dict(Area.objects.values_list("id", "code"))

    @cached_property
    def area_township(self) -> dict[int, int]:
        return dict(Area.objects.exclude(township__isnull=True).values_list("id", "township_id"))

    def area_id(self, code: str, level: str | None = None) -> int | None:
        row = self.area_rows.get(code)
        if row is None or (level is not None and row[1] != level):
            return None
        return row[0]

    def remember_area(self, area: Area) -> None:
        self.area_rows[area.code] = (area.pk, area.level)
        self.area_code[area.pk] = area.code
        if area.township_id:
            self.area_township[area.pk] = area.township_id

    # --- industries and organisations ------------------------------------------------
    @cached_property
    def industry_id(self) -> dict[str, int]:
        return dict(Industry.objects.filter(archived_at__isnull=True).values_list("code", "id"))

    @cached_property
    def industry_code(self) -> dict[int, str]:
        return dict(Industry.objects.values_list("id", "code"))

    @cached_property
    def industry_name(self) -> dict[int, str]:
        return dict(Industry.objects.values_list("id", "name"))

    @cached_property
    def industry_by_name(self) -> dict[str, int | None]:
        """Current industries by name; a name two industries share maps to None (ambiguous)."""
        result: dict[str, int | None] = {}
        for pk, name in Industry.objects.filter(archived_at__isnull=True).values_list("id", "name"):
            result[name] = None if name in result else pk
        return result

    def industry(self, value: str) -> int | None:
        """An industry as a workbook cell names it: its code or (as ledgers show it) its name."""
        found = self.industry_id.get(value)
        return found if found is not None else self.industry_by_name.get(value)

    @cached_property
    def organisation_id(self) -> dict[str, int]:
        return dict(Organisation.objects.filter(archived_at__isnull=True).values_list("code", "id"))

    @cached_property
    def organisation_code(self) -> dict[int, str]:
        return dict(Organisation.objects.values_list("id", "code"))

    @cached_property
    def organisation_industries(self) -> dict[int, list[str]]:
        through = Organisation.industries.through
        result: dict[int, list[str]] = {}
        for org_id, code in through.objects.order_by("industry__code").values_list("organisation_id", "industry__code"):
            result.setdefault(org_id, []).append(code)
        return result

    # --- enterprises, persons, places --------------------------------------------------
    def _visible(self, model):
        queryset = model.objects.all()
        if self.actor is None:  # commands run county-wide
            return queryset
        return scope.narrow(self.actor, queryset, include_archived=True)

    @cached_property
    def enterprise_id(self) -> dict[str, int]:
        return dict(self._visible(Enterprise).values_list("uscc", "id"))

    @cached_property
    def uscc_taken(self) -> set[str]:
        """Every registered USCC, in scope or not: a new enterprise may use none of them."""
        return set(Enterprise.objects.values_list("uscc", flat=True))

    @cached_property
    def enterprise_uscc(self) -> dict[int, str]:
        return {pk: code for code, pk in self.enterprise_id.items()}

    @cached_property
    def person_by_id_number(self) -> dict[str, int]:
        return dict(self._visible(Person).exclude(id_number="").values_list("id_number", "id"))

    @cached_property
    def person_id_number(self) -> dict[int, str]:
        return dict(Person.objects.exclude(id_number="").values_list("id", "id_number"))

    @cached_property
    def person_by_name_phone(self) -> dict[tuple[str, str], int]:
        return {(name, phone): pk for pk, name, phone in self._visible(Person).values_list("id", "name", "phone")}

    @cached_property
    def persons(self) -> PersonDirectory:
        """Persons as link cells name them, limited to what the actor may see."""
        if self.actor is None:
            raise ValueError("a CodeBook that resolves persons needs the acting user")
        return PersonDirectory(self.actor)

    @cached_property
    def full_id_numbers(self) -> bool:
        """Whether the actor sees ID numbers in full (core.masking), asked once per run."""
        return masking.sees_full_id_numbers(self.actor)

    def id_number(self, value: str) -> str:
        return masking.id_number_for(self.actor, value, full=self.full_id_numbers)

    def person_text(self, pk) -> str:
        return self.persons.text.get(pk, "") if pk else ""

    @cached_property
    def place_persons(self) -> dict[int, list[int]]:
        through = Place.responsible_persons.through
        result: dict[int, list[int]] = {}
        for place_id, person_id in through.objects.values_list("place_id", "person_id").iterator(chunk_size=5000):
            result.setdefault(place_id, []).append(person_id)
        return result

    @cached_property
    def place_by_key(self) -> dict[tuple[str, int, str], int]:
        return {(name, township, kind): pk for pk, name, township, kind in self._visible(Place).values_list(
            "id", "name", "township_id", "place_type")}

    @cached_property
    def place_ids(self) -> set[int]:
        return set(self._visible(Place).values_list("id", flat=True))
