from django.core.management.base import BaseCommand

from reminders.push import generate_keys


class Command(BaseCommand):
    help = "Print a new VAPID key pair for browser notifications, as lines for .env."

    def handle(self, *args, **options):
        public, private = generate_keys()
        self.stdout.write(f"VAPID_PUBLIC_KEY={public}\nVAPID_PRIVATE_KEY={private}")
