from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from citysafe.registry.io import export
from citysafe.registry.io.kinds import KINDS
from citysafe.registry.selectors import BadQuery


class Command(BaseCommand):
    help = "Export a registry list as a user sees it (same scope and filters) to an Excel ledger or GeoJSON."

    def add_arguments(self, parser):
        parser.add_argument("resource", choices=sorted(KINDS))
        parser.add_argument("file")
        parser.add_argument("--format", choices=["xlsx", "geojson"], default=None,
                            help="default: from the file name")
        parser.add_argument("--user", required=True)
        parser.add_argument("--filter", action="append", default=[], metavar="KEY=VALUE",
                            help="list filter, e.g. township_id=3 (repeatable)")
        parser.add_argument("--search", default="")
        parser.add_argument("--ordering", default="id", help="a sort key of the list, '-' for descending")
        parser.add_argument("--geometry-type", choices=["point", "line", "polygon"], default="",
                            help="GeoJSON only: features of one geometry type (a Shapefile holds one type)")

    def handle(self, *args, **options):
        path = Path(options["file"])
        file_format = options["format"] or ("geojson" if path.suffix.lower() in (".geojson", ".json") else "xlsx")
        try:
            user = get_user_model().objects.get(username=options["user"], is_active=True)
        except get_user_model().DoesNotExist:
            raise CommandError(f"no active user {options['user']!r}") from None
        filters = {}
        for item in options["filter"]:
            key, sep, value = item.partition("=")
            if not sep:
                raise CommandError(f"--filter expects KEY=VALUE, got {item!r}")
            filters[key.strip()] = value.strip()
        query = {"search": options["search"], "filters": filters, "ordering": options["ordering"]}
        try:
            if file_format == "geojson" and options["geometry_type"]:
                total = export.count_geojson_rows(user, options["resource"], geometry_type=options["geometry_type"],
                                                  **query)
            else:
                total = export.count_rows(user, options["resource"], **query)
        except BadQuery as exc:
            raise CommandError(str(exc)) from None
        bar = tqdm(total=total, unit="行", desc=f"导出 {options['resource']}", disable=options["verbosity"] == 0)

        def progress(done):
            bar.n = done
            bar.refresh()

        if file_format == "xlsx":
            rows = export.write_ledger(user, options["resource"], str(path), progress=progress, **query)
        else:
            with path.open("w", encoding="utf-8") as handle:
                rows = export.write_geojson(user, options["resource"], handle, progress=progress,
                                            geometry_type=options["geometry_type"], **query)
        export.audit_export(user, options["resource"], file_format=file_format, rows=rows,
                            geometry_type=options["geometry_type"] if file_format == "geojson" else "", **query)
        bar.n = rows
        bar.close()
        self.stdout.write(self.style.SUCCESS(f"{rows} rows written to {path}"))
