import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def carry_sessions_over(apps, schema_editor):
    """Move the live sessions of Django's table here, so nobody is signed out by the upgrade."""
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.sessions import user_id_in

    Old = apps.get_model("sessions", "Session")
    New = apps.get_model("accounts", "Session")
    users = set(apps.get_model("accounts", "User").objects.values_list("pk", flat=True))
    decoder = SessionStore()
    live = Old.objects.filter(expire_date__gt=timezone.now())
    batch = []
    for old in live.iterator(chunk_size=2000):
        user_id = user_id_in(decoder.decode(old.session_data))
        batch.append(
            New(
                session_key=old.session_key,
                session_data=old.session_data,
                expire_date=old.expire_date,
                user_id=user_id if user_id in users else None,
            )
        )
        if len(batch) == 2000:
            New.objects.bulk_create(batch)
            batch = []
    New.objects.bulk_create(batch)
    Old.objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0009_access_tokens'),
        ('sessions', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='Session',
            fields=[
                ('session_key', models.CharField(max_length=40, primary_key=True, serialize=False, verbose_name='session key')),
                ('session_data', models.TextField(verbose_name='session data')),
                ('expire_date', models.DateTimeField(db_index=True, verbose_name='expire date')),
                ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='sessions', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'session',
                'verbose_name_plural': 'sessions',
                'abstract': False,
            },
        ),
        migrations.RunPython(carry_sessions_over, migrations.RunPython.noop, elidable=True),
    ]
