"""The backup and restore that the README documents, done for real."""

import json
from datetime import date

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import PASSWORD, UserFactory
from todos import services
from todos.models import Project, Tag, Task

# Exactly the arguments the README's "Backups" section gives to dumpdata.
DUMP_ARGS = [
    "--natural-foreign",
    "--natural-primary",
    "--exclude=contenttypes",
    "--exclude=auth.permission",
    "--exclude=admin.logentry",
    "--exclude=sessions",
    "--exclude=accounts.session",
    "--exclude=axes",
]


def dump(path) -> list[dict]:
    call_command("dumpdata", *DUMP_ARGS, output=str(path), verbosity=0)
    with open(path) as backup:
        objects = json.load(backup)
    # Only names what is cached of a person's lists: loading their tags moves it.
    for obj in objects:
        obj["fields"].pop("data_version", None)
        # The dump keeps milliseconds: a time within the first one of its second is written
        # "…:07.000Z", loads as exactly :07 and is written "…:07Z" the next time; the same
        # instant either way.
        for name, value in obj["fields"].items():
            if isinstance(value, str) and value.endswith(".000Z"):
                obj["fields"][name] = value.removesuffix(".000Z") + "Z"
    return objects


@pytest.mark.django_db(transaction=True)
def test_a_dump_loads_into_an_empty_database_unchanged(tmp_path):
    ada = UserFactory(username="ada", timezone="Europe/Paris")
    UserFactory(username="bob")
    home = Project.objects.create(owner=ada, name="Home", colour="green")
    bills = Tag.objects.create(owner=ada, name="bills")
    rent = services.create_task(
        owner=ada,
        project=home,
        title="Pay rent",
        notes="<b>£</b> ✓",
        tags=[bills],
        due_date=date(2026, 12, 1),
        priority=1,
    )
    services.create_task(owner=ada, project=home, title="Read lease", parent=rent)
    services.trash(services.create_task(owner=ada, project=home, title="Old"), now=rent.created_at)
    before = dump(tmp_path / "backup.json")

    call_command("flush", "--no-input", verbosity=0)
    assert not User.objects.exists()
    call_command("loaddata", str(tmp_path / "backup.json"), verbosity=0)

    assert dump(tmp_path / "again.json") == before
    restored = Task.objects.get(title="Pay rent")
    assert (restored.owner.username, restored.project.name, restored.notes) == (
        "ada",
        "Home",
        "<b>£</b> ✓",
    )
    assert list(restored.tags.values_list("name", flat=True)) == ["bills"]
    assert Task.objects.get(title="Read lease").parent == restored
    assert Task.objects.trash_for(restored.owner).get().title == "Old"
    assert Project.objects.filter(owner__username="ada", is_inbox=True).count() == 1
    # People sign in again with their own passwords.
    client = Client()
    signed_in = client.post(reverse("login"), {"username": "ada", "password": PASSWORD})
    assert signed_in.url == reverse("todos:today")
    assert client.get(signed_in.url).status_code == 200
