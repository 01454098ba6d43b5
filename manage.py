#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys

VENV_HINT = (
    'run `make run` once, then `.venv/bin/python manage.py ...` or `make manage ARGS="..."`'
)


def main():
    """Run administrative tasks."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "django_project.settings")
    try:
        from django.conf import settings
        from django.core.exceptions import ImproperlyConfigured
        from django.core.management import execute_from_command_line
    except ImportError:
        sys.exit(f"manage.py: Django is not installed for {sys.executable}: {VENV_HINT}.")
    # Load the settings here, so a missing variable is one line that names it
    # rather than a traceback from inside whichever command touches them first.
    try:
        settings.INSTALLED_APPS  # noqa: B018
    except ImproperlyConfigured as error:
        sys.exit(f"manage.py: {error}")
    except ModuleNotFoundError as error:
        sys.exit(f"manage.py: {error}, which Ticklist needs: {VENV_HINT}.")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
