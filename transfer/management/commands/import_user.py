from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from django_project.progress import progress_bar
from transfer import services
from transfer.importers import FORMATS
from transfer.plan import Unreadable, decode
from transfer.writer import write


class Command(BaseCommand):
    help = "Import a file into one person's account, all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("file")
        parser.add_argument("--format", choices=list(FORMATS), required=True)
        parser.add_argument(
            "--dry-run", action="store_true", help="say what would be created, write nothing"
        )

    def handle(self, *args, username, file, format, dry_run, **options):
        user = get_user_model().objects.filter(username__iexact=username).first()
        if user is None:
            raise CommandError(f"No user is called “{username}”.")
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        now = timezone.now()
        try:
            plan = services.read(format, decode(data), user=user, filename=path.name, now=now)
        except Unreadable as error:
            raise CommandError(f"{file}: {error}") from None
        for problem in plan.problems:
            self.stderr.write(f"{file}:{problem.line}: {problem.message}")
        if dry_run:
            self.stdout.write("Would import " + services.summary(plan.counts)[len("Imported ") :])
            return
        with progress_bar(self.stdout, total=len(plan.tasks), label="tasks") as advance:
            counts = write(plan, user, now=now, advance=advance)
        self.stdout.write(services.summary(counts))
