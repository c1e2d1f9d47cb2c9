"""Whom a report is about: the county, a township or a department. A subject is read through an
in-memory viewer of the matching role and organisation, so a township's report counts exactly
what that township's officers see on their dashboard (core.scope stays the one place deciding)."""
from dataclasses import dataclass

from django.utils.translation import gettext as _

from citysafe.accounts.models import Organisation, User
from citysafe.core.roles import Role
from citysafe.registry.models import Area


@dataclass(frozen=True)
class Subject:
    township: Area | None = None
    department: Organisation | None = None

    @property
    def name(self) -> str:
        if self.township is not None:
            return self.township.name
        if self.department is not None:
            return self.department.name
        return _("全县")

    def viewer(self) -> User:
        """An unsaved user whose data scope is the subject's (never stored, never signs in)."""
        if self.township is not None:
            organisation = Organisation.objects.filter(kind=Organisation.Kind.TOWNSHIP, area=self.township).first()
            return User(username="report-viewer", role=Role.TOWNSHIP, organisation=organisation, is_active=True)
        if self.department is not None:
            return User(username="report-viewer", role=Role.DEPARTMENT, organisation=self.department, is_active=True)
        return User(username="report-viewer", role=Role.LEADER, is_active=True)

    def report_fields(self) -> dict:
        return {"township": self.township, "department": self.department}


def all_subjects() -> list[Subject]:
    """The county, every township with a township organisation, every department."""
    townships = Area.objects.filter(level=Area.Level.TOWNSHIP, archived_at__isnull=True,
                                    pk__in=Organisation.objects.filter(kind=Organisation.Kind.TOWNSHIP)
                                    .values("area_id")).order_by("code")
    departments = Organisation.objects.filter(kind=Organisation.Kind.DEPARTMENT).order_by("code")
    return [Subject(), *[Subject(township=t) for t in townships], *[Subject(department=d) for d in departments]]
