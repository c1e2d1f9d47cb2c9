"""Registry REST endpoints: /api/v1/{enterprises,places,persons,areas,industries,organisations}.

Every resource offers the same verbs, so one builder makes each router: reads through
`selectors`, writes through `services`, errors turned into status codes by the handlers
in config/api.py (422 validation, 404 outside scope, 403 role, 409 conflict).
"""
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model, prefetch_related_objects
from ninja import Query, Router, Schema, Status

from citysafe.accounts.models import Organisation
from citysafe.core.schema_types import ErrorOut
from citysafe.registry import schemas as s
from citysafe.registry import selectors, services
from citysafe.registry.models import Area, Enterprise, Industry, Person, Place

ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


@dataclass(frozen=True)
class Resource:
    name: str  # key in selectors.LISTS and the URL segment
    singular: str
    model: type[Model]
    item: type[Schema]
    detail: type[Schema]
    create_in: type[Schema]
    update_in: type[Schema]
    create: Callable
    update: Callable
    prefetch: tuple[str, ...] = ()
    detail_prefetch: tuple[str, ...] = ()


def _read(request, resource: Resource, pk: int, include_archived: bool):
    record = selectors.get_record(request.auth, resource.name, pk, include_archived=include_archived)
    prefetch = resource.prefetch + resource.detail_prefetch
    if prefetch:
        prefetch_related_objects([record], *prefetch)
    return record


def build_router(resource: Resource) -> Router:
    router = Router(tags=[resource.name])
    Filters = s.filter_schema(resource.name, f"{resource.singular}ListQuery")  # noqa: N806
    Page = s.page_schema(resource.item, f"{resource.singular}Page")  # noqa: N806
    Detail, CreateIn, UpdateIn = resource.detail, resource.create_in, resource.update_in  # noqa: N806

    @router.get("", response={200: Page, **ERRORS}, operation_id=f"list_{resource.name}",
                summary=f"list {resource.name}")
    def list_records(request, query: Filters = Query(...)):
        params = query.model_dump()
        search, ordering = params.pop("q"), params.pop("ordering")
        include_archived, limit, offset = params.pop("include_archived"), params.pop("limit"), params.pop("offset")
        queryset = selectors.list_records(request.auth, resource.name, search=search, filters=params,
                                          ordering=ordering, include_archived=include_archived)
        if resource.prefetch:
            queryset = queryset.prefetch_related(*resource.prefetch)
        return {"count": queryset.count(), "items": list(queryset[offset:offset + limit])}

    @router.post("", response={201: Detail, **ERRORS}, operation_id=f"create_{resource.singular.lower()}")
    def create_record(request, payload: CreateIn):
        data = payload.model_dump(exclude_unset=True)
        data.pop("version", None)  # a new record has no version to check
        record = resource.create(request.auth, data)
        return Status(201, _read(request, resource, record.pk, include_archived=False))

    @router.get("/{int:record_id}", response={200: Detail, **ERRORS},
                operation_id=f"get_{resource.singular.lower()}")
    def get_record(request, record_id: s.Id, include_archived: bool = False):
        return _read(request, resource, record_id, include_archived)

    @router.patch("/{int:record_id}", response={200: Detail, 409: ErrorOut, **ERRORS},
                  operation_id=f"update_{resource.singular.lower()}",
                  description="`version` is the version read with the record; if someone has saved it since, "
                              "nothing is written and the answer is 409 naming the fields they changed.")
    def update_record(request, record_id: s.Id, payload: UpdateIn):
        data = payload.model_dump(exclude_unset=True)
        version = data.pop("version")
        resource.update(request.auth, record_id, data, expected_version=version)
        return _read(request, resource, record_id, include_archived=False)

    @router.delete("/{int:record_id}", response={204: None, **ERRORS},
                   operation_id=f"archive_{resource.singular.lower()}", summary="archive (soft delete)")
    def archive_record(request, record_id: s.Id):
        services.archive_record(request.auth, resource.model, record_id)
        return Status(204, None)

    @router.post("/{int:record_id}/restore", response={200: Detail, **ERRORS},
                 operation_id=f"restore_{resource.singular.lower()}", summary="restore an archived record (admin)")
    def restore_record(request, record_id: s.Id):
        services.restore_record(request.auth, resource.model, record_id)
        return _read(request, resource, record_id, include_archived=False)

    @router.post("/{int:record_id}/purge", response={204: None, **ERRORS},
                 operation_id=f"purge_{resource.singular.lower()}", summary="delete for good (admin, audited)")
    def purge_record(request, record_id: s.Id):
        services.purge_record(request.auth, resource.model, record_id)
        return Status(204, None)

    return router


RESOURCES = [
    Resource("enterprises", "Enterprise", Enterprise, s.EnterpriseOut, s.EnterpriseOut, s.EnterpriseCreate,
             s.EnterpriseUpdate, services.create_enterprise, services.update_enterprise),
    Resource("places", "Place", Place, s.PlaceOut, s.PlaceDetail, s.PlaceCreate, s.PlaceUpdate,
             services.create_place, services.update_place, detail_prefetch=("responsible_persons",)),
    Resource("persons", "Person", Person, s.PersonOut, s.PersonDetail, s.PersonCreate, s.PersonUpdate,
             services.create_person, services.update_person),
    Resource("areas", "Area", Area, s.AreaOut, s.AreaOut, s.AreaCreate, s.AreaUpdate,
             services.create_area, services.update_area),
    Resource("industries", "Industry", Industry, s.IndustryOut, s.IndustryOut, s.IndustryCreate, s.IndustryUpdate,
             services.create_industry, services.update_industry),
    Resource("organisations", "Organisation", Organisation, s.OrganisationOut, s.OrganisationOut,
             s.OrganisationCreate, s.OrganisationUpdate, services.create_organisation, services.update_organisation,
             prefetch=("industries",)),
]

routers = {resource.name: build_router(resource) for resource in RESOURCES}


@routers["enterprises"].post("/{int:record_id}/transitions", response={200: s.EnterpriseOut, 409: ErrorOut, **ERRORS},
                             operation_id="transition_enterprise",
                             summary="change operating status (停产整顿、搬迁、关闭…)")
def transition_enterprise(request, record_id: s.Id, payload: s.TransitionIn):
    services.transition_enterprise(request.auth, record_id, payload.transition,
                                   expected_version=payload.expected_version, note=payload.note,
                                   payload=payload.payload, changes=payload.changes, attachments=payload.attachments)
    return _read(request, RESOURCES[0], record_id, include_archived=False)
