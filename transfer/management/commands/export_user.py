from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from django_project.progress import progress_bar
from todos.models import Task
from transfer import export


class Command(BaseCommand):
    help = "Write everything one person owns as Ticklist JSON, or their tasks as CSV."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument("--output", help="file to write (default: standard output)")

    def handle(self, *args, username, format, output, **options):
        user = get_user_model().objects.filter(username__iexact=username).first()
        if user is None:
            raise CommandError(f"No user is called “{username}”.")
        write = export.as_json if format == "json" else export.as_csv
        # The bar goes to stderr when the file goes to stdout, so the file stays clean.
        bar_out = self.stdout if output else self.stderr
        total = Task.objects.owned_by(user).count()
        with progress_bar(bar_out, total=total, label="tasks") as advance:
            text = write(user, advance=advance)
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stdout.write(f"Wrote {total} tasks of {user.get_username()} to {output}.")
        else:
            self.stdout.write(text, ending="")
