"""Load the shipped laws (../shared/data/laws), the seed policy (../shared/seed), the synonym
table, the synthetic demo accident cases and a demo standard excerpt; each file is its own all-or-nothing import, and a
file already loaded with the same content is left alone, so the command can run again."""
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from citysafe.core.audit import audit_channel
from citysafe.core.workflow.system import as_system
from citysafe.knowledge.search.backends import optimize_index
from citysafe.knowledge.services.documents import import_document
from citysafe.knowledge.services.synonyms import seed_synonyms

# The seed policy is a county government document (addressed to the townships and county
# departments); the file itself does not name the issuing office.
SEED_ISSUER = "东乡县人民政府"


class Command(BaseCommand):
    help = "导入随附的法律法规、县级文件、同义词和演示事故案例"

    def add_arguments(self, parser):
        parser.add_argument("--laws-dir", default=str(settings.KNOWLEDGE_LAWS_DIR))
        parser.add_argument("--seed-dir", default=str(settings.KNOWLEDGE_SEED_DIR))
        parser.add_argument("--no-cases", action="store_true", help="不导入演示事故案例和演示标准")

    def handle(self, *args, laws_dir, seed_dir, no_cases, **options):
        files = sorted(Path(laws_dir).glob("*.md"))
        if not files:
            raise CommandError(f"no laws in {laws_dir}")
        failed = 0
        with audit_channel("command"), as_system() as actor:
            for path in files:
                failed += self._load(actor, path)
            for path in sorted(Path(seed_dir).glob("*.txt")):
                failed += self._load(actor, path, kind="county_document", issuer=SEED_ISSUER)
            added = seed_synonyms(actor)
            self.stdout.write(f"synonyms added: {added}")
            if not no_cases:
                from citysafe.knowledge.demo_cases import load_demo_cases

                self.stdout.write(f"demo cases added: {load_demo_cases(actor)}")
                from citysafe.knowledge.demo_standards import load_demo_standards

                self.stdout.write(f"demo standards added: {load_demo_standards(actor)}")
        optimize_index()
        if failed:
            raise CommandError(f"{failed} file(s) refused")

    def _load(self, actor, path: Path, **extra) -> int:
        report = import_document(actor, path.name, path.read_bytes(), **extra)
        counts = ", ".join(f"{k} {v}" for k, v in report.counts.items())
        self.stdout.write(f"{report.outcome:12} {report.short_title or path.name} ({counts}) {' '.join(report.errors)}")
        return 0 if report.ok else 1
