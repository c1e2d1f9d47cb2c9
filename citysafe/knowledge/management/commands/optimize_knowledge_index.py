"""Re-segment every article (after a change of the user words in search/segment.py) with
--rebuild, and compact the search index (FTS5 'optimize' / PostgreSQL ANALYZE)."""
from django.core.management.base import BaseCommand
from django.db import transaction

from citysafe.knowledge.search.backends import optimize_index
from citysafe.knowledge.search.indexing import rebuild_index


class Command(BaseCommand):
    help = "压缩法规知识库的检索索引（--rebuild 重新分词）"

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true")

    def handle(self, *args, rebuild, **options):
        if rebuild:
            with transaction.atomic():
                self.stdout.write(f"articles indexed: {rebuild_index()}")
        optimize_index()
        self.stdout.write("index optimized")
