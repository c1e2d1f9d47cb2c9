from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from citysafe.registry.io.excel_import import import_workbook
from citysafe.registry.io.geojson_import import import_areas
from citysafe.registry.io.jobs import IMPORT_KINDS


class Command(BaseCommand):
    help = ("Import a registry workbook (.xlsx) or areas (GeoJSON / zipped Shapefile) as a user, all or "
            "nothing. On errors nothing is stored and an error workbook is written next to the file.")

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=IMPORT_KINDS)
        parser.add_argument("file")
        parser.add_argument("--user", required=True, help="username whose role and data scope apply")
        parser.add_argument("--gcj02", action="store_true", help="coordinates in the file are GCJ-02")
        parser.add_argument("--report", help="where to write the error workbook (default: <file>.errors.xlsx)")
        parser.add_argument("--bulk", choices=["auto", "yes", "no"], default="auto",
                            help="enterprises: bulk validation path (auto: for large files)")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.exists():
            raise CommandError(f"no such file: {path}")
        try:
            user = get_user_model().objects.get(username=options["user"], is_active=True)
        except get_user_model().DoesNotExist:
            raise CommandError(f"no active user {options['user']!r}") from None
        bar = tqdm(unit="行", desc=f"导入 {options['kind']}", disable=options["verbosity"] == 0)

        def progress(done, total, errors=0):
            bar.total = total
            bar.n = done
            bar.set_postfix(errors=errors, refresh=False)
            bar.refresh()

        data = path.read_bytes()
        if options["kind"] == "areas":
            result = import_areas(user, data, gcj02=options["gcj02"], filename=path.name, progress=progress)
        else:
            bulk = {"auto": None, "yes": True, "no": False}[options["bulk"]]
            result = import_workbook(user, options["kind"], data, gcj02=options["gcj02"], filename=path.name,
                                     progress=progress, bulk=bulk)
        bar.close()
        if result.report is not None:
            report = Path(options["report"] or f"{path.with_suffix('')}.errors.xlsx")
            report.write_bytes(result.report)
            for error in result.errors[:20]:
                self.stderr.write(f"  第{error.row}行 {error.header}：{error.message}")
            if len(result.errors) > 20:
                self.stderr.write(f"  … 另有{len(result.errors) - 20}处错误")
            raise CommandError(f"{result.summary()}；错误报告：{report}")
        if not result.ok:
            raise CommandError(result.summary())
        self.stdout.write(self.style.SUCCESS(result.summary()))
