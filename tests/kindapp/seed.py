"""A few hydrants in every township, for the generated scope matrix and the kind's own tests."""


def seed_hydrants(admin) -> None:
    from citysafe.registry.models import Area, Enterprise
    from tests.kindapp.services import create_hydrant

    for township in Area.objects.filter(level="township").order_by("code"):
        grid = Area.objects.filter(level="grid", township=township).order_by("code").first()
        enterprise = Enterprise.objects.filter(township=township, grid=grid).order_by("id").first()
        for n, (with_grid, with_enterprise) in enumerate([(False, False), (True, False), (True, True)]):
            create_hydrant(admin, {
                "code": f"XHS-{township.code}-{n}", "name": f"{township.name}消防栓{n}", "township_id": township.pk,
                "grid_id": grid.pk if with_grid and grid else None,
                "enterprise_id": enterprise.pk if with_enterprise and enterprise else None})
