from django.conf import settings
from django.db import migrations


def create_inboxes(apps, schema_editor):
    """Give accounts made before the to-do app existed their Inbox."""
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    Project = apps.get_model("todos", "Project")
    Project.objects.bulk_create(
        Project(owner=user, name="Inbox", is_inbox=True)
        for user in User.objects.exclude(projects__is_inbox=True)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("todos", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(create_inboxes, migrations.RunPython.noop)]
