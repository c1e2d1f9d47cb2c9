from django.core.management.base import BaseCommand, CommandError

from citysafe.registry.demo.county import DemoSize, build_county
from citysafe.registry.models import Area


class Command(BaseCommand):
    help = "Load the synthetic demo county inside the real outline of 东乡族自治县."

    def add_arguments(self, parser):
        parser.add_argument("--small", action="store_true", help="a few townships only (tests, quick look)")
        parser.add_argument("--scale", type=int, default=1, help="multiply enterprises and places (benchmarks: 100)")
        parser.add_argument("--seed", type=int, default=622926)
        parser.add_argument("--password", default="Demo-2026!", help="password of every demo account")
        parser.add_argument("--if-empty", action="store_true", help="do nothing when areas already exist")

    def handle(self, *args, **options):
        if Area.objects.exists():
            if options["if_empty"]:
                self.stdout.write("demo data already loaded; nothing to do")
                return
            raise CommandError("the database already holds areas; load the demo into an empty database")
        size = DemoSize.small() if options["small"] else DemoSize()
        if options["scale"] > 1:
            size = size.scaled(options["scale"])
        counts = build_county(size, seed=options["seed"], password=options["password"])
        self.stdout.write(self.style.SUCCESS("demo county loaded: " + ", ".join(f"{k}={v}" for k, v in counts.items())))
