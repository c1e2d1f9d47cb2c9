"""Whom a report is about: a county, a township or a department. A subject is read through an
in-memory viewer of the matching role and organisation, so a township's report counts exactly
what that township's officers see on their dashboard, and a county's report what that county's
leader sees (core.scope stays the one place deciding, counties included: issue 19)."""
from dataclasses import dataclass

from django.utils.translation import gettext as _

from citysafe.accounts.models import Organisation, User
from citysafe.core.roles import Role
from citysafe.registry.models import Area


def _counties():
    return Area.objects.filter(level=Area.Level.COUNTY, archived_at__isnull=True).order_by("pk")


def _county_of(area: Area | None) -> Area | None:
    if area is None:
        return None
    return area if area.level == Area.Level.COUNTY else area.county


@dataclass(frozen=True)
class Subject:
    township: Area | None = None
    department: Organisation | None = None
    # The county a county report is about (a registry Area of level county); None: the home county.
    county: Area | None = None

    @property
    def name(self) -> str:
        if self.township is not None:
            return self.township.name
        if self.department is not None:
            return self.department.name
        # one county: "全县" as before; several: the county's own name, so titles tell them apart
        if self.county is not None and _counties().exclude(pk=self.county.pk).exists():
            return self.county.name
        return _("全县")

    def viewer(self) -> User:
        """An unsaved user whose data scope is the subject's (never stored, never signs in)."""
        if self.township is not None:
            organisation = Organisation.objects.filter(kind=Organisation.Kind.TOWNSHIP, area=self.township).first()
            return User(username="report-viewer", role=Role.TOWNSHIP, organisation=organisation, is_active=True)
        if self.department is not None:
            return User(username="report-viewer", role=Role.DEPARTMENT, organisation=self.department, is_active=True)
        # A leader of the county: its (unsaved) organisation lies in the county, so core.scope
        # gives it that county's rows; without a county, the home county's (no organisation).
        organisation = Organisation(kind=Organisation.Kind.OFFICE, area=self.county) if self.county else None
        return User(username="report-viewer", role=Role.LEADER, organisation=organisation, is_active=True)

    def report_county(self) -> Area | None:
        """The county the report belongs to: the subject's county, its township's, its
        department's; the home county for a county report named without one."""
        if self.township is not None:
            return _county_of(self.township)
        if self.department is not None:
            return _county_of(self.department.area) or _counties().first()
        return self.county or _counties().first()

    def report_fields(self) -> dict:
        return {"township": self.township, "department": self.department, "county": self.report_county()}


def all_subjects() -> list[Subject]:
    """Every county, every township with a township organisation, every department."""
    townships = Area.objects.filter(level=Area.Level.TOWNSHIP, archived_at__isnull=True,
                                    pk__in=Organisation.objects.filter(kind=Organisation.Kind.TOWNSHIP)
                                    .values("area_id")).select_related("county").order_by("code")
    departments = Organisation.objects.filter(kind=Organisation.Kind.DEPARTMENT).select_related(
        "area__county").order_by("code")
    counties = [Subject(county=c) for c in _counties()] or [Subject()]
    return [*counties, *[Subject(township=t) for t in townships], *[Subject(department=d) for d in departments]]
