from django.core.management.base import BaseCommand
from django.utils import timezone

from django_project.housekeeping import prune


class Command(BaseCommand):
    help = (
        "Delete import files never confirmed (after a day), finished imports (a week), "
        "webhook deliveries (30 days) and deletion records for API sync (90 days)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="only say how many would go")

    def handle(self, *args, dry_run: bool, **options):
        counts = prune(now=timezone.now(), dry_run=dry_run)
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(
            f"{verb} " + ", ".join(f"{n} {kind}" for kind, n in counts.items()) + "."
        )
