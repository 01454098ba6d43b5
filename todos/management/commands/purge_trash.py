from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from todos.services import purge_trash


class Command(BaseCommand):
    help = "Delete for good the tasks that have been in the trash for longer than --days."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30, help="age in days (default 30)")
        parser.add_argument(
            "--dry-run", action="store_true", help="only say how many tasks would go"
        )

    def handle(self, *args, days: int, dry_run: bool, **options):
        if days < 0:
            raise CommandError("--days must be zero or more.")
        count = purge_trash(older_than=timedelta(days=days), now=timezone.now(), dry_run=dry_run)
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(
            f"{verb} {count} task{'' if count == 1 else 's'} trashed over {days} days ago."
        )
