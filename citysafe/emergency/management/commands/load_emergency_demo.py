from django.core.management.base import BaseCommand, CommandError

from citysafe.core.audit import audit_channel
from citysafe.core.audit_models import AuditChannel


class Command(BaseCommand):
    help = "Load the emergency demo (after load_demo): road network, resources, plans, drills, incidents."

    def handle(self, *args, **options):
        from citysafe.accounts.models import User
        from citysafe.emergency.demo.resources import seed_incidents, seed_resources
        from citysafe.emergency.demo.roads import seed_roads
        from citysafe.registry.models import Area

        if not Area.objects.filter(level="county").exists():
            raise CommandError("Run load_demo first: the emergency demo lies in the demo county.")
        admin = User.objects.get(username="admin")
        with audit_channel(AuditChannel.COMMAND):
            roads = seed_roads(admin)
            seed_resources(admin)
            seed_incidents(admin)
        self.stdout.write(f"emergency demo loaded ({roads} new road segments)")
