from django.core.management.base import BaseCommand

from citysafe.risks.gatherings.demo import build_gathering_demo


class Command(BaseCommand):
    help = "Demo large gatherings and the county public security bureau (dept_gaj); run after load_risk_demo."

    def handle(self, *args, **options):
        self.stdout.write(str(build_gathering_demo()))
