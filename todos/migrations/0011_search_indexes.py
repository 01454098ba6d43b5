"""Search through an index: trigram indexes on PostgreSQL, an FTS5 trigram table on SQLite.

Neither is in the models' state: Django has no field or index for them on both
databases, so each database gets its own SQL and the other skips it.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

# The expressions Django's icontains compares on PostgreSQL (UPPER(col) LIKE UPPER(%s)),
# so these indexes serve today's lookups unchanged. Partial as the searches are: no trash.
POSTGRESQL = [
    (
        "CREATE INDEX todos_task_title_trgm_idx ON todos_task "
        "USING gin (UPPER(title::text) gin_trgm_ops) WHERE deleted_at IS NULL",
        "DROP INDEX IF EXISTS todos_task_title_trgm_idx",
    ),
    (
        "CREATE INDEX todos_task_notes_trgm_idx ON todos_task "
        "USING gin (UPPER(notes::text) gin_trgm_ops) WHERE deleted_at IS NULL AND notes <> ''",
        "DROP INDEX IF EXISTS todos_task_notes_trgm_idx",
    ),
]

# An external-content table (the text stays in todos_task only) kept in step by
# triggers. A migration that rebuilds todos_task on SQLite drops its triggers: the
# tests check they are there (todos/tests/test_search.py).
SQLITE = [
    (
        "CREATE VIRTUAL TABLE todos_task_fts USING fts5("
        "title, notes, content='todos_task', content_rowid='id', tokenize='trigram')",
        "DROP TABLE IF EXISTS todos_task_fts",
    ),
    (
        "INSERT INTO todos_task_fts(todos_task_fts) VALUES ('rebuild')",
        "",
    ),
    (
        "CREATE TRIGGER todos_task_fts_insert AFTER INSERT ON todos_task BEGIN "
        "INSERT INTO todos_task_fts(rowid, title, notes) VALUES (new.id, new.title, new.notes); "
        "END",
        "DROP TRIGGER IF EXISTS todos_task_fts_insert",
    ),
    (
        "CREATE TRIGGER todos_task_fts_delete AFTER DELETE ON todos_task BEGIN "
        "INSERT INTO todos_task_fts(todos_task_fts, rowid, title, notes) "
        "VALUES ('delete', old.id, old.title, old.notes); "
        "END",
        "DROP TRIGGER IF EXISTS todos_task_fts_delete",
    ),
    (
        "CREATE TRIGGER todos_task_fts_update AFTER UPDATE OF title, notes ON todos_task BEGIN "
        "INSERT INTO todos_task_fts(todos_task_fts, rowid, title, notes) "
        "VALUES ('delete', old.id, old.title, old.notes); "
        "INSERT INTO todos_task_fts(rowid, title, notes) VALUES (new.id, new.title, new.notes); "
        "END",
        "DROP TRIGGER IF EXISTS todos_task_fts_update",
    ),
]


def run(statements, *, forwards: bool):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor != vendor:
            return
        for sql in statements if forwards else reversed(statements):
            sql = sql[0] if forwards else sql[1]
            if sql:
                schema_editor.execute(sql)

    vendor = "postgresql" if statements is POSTGRESQL else "sqlite"
    return operation


class Migration(migrations.Migration):
    dependencies = [
        ("todos", "0010_tombstones"),
    ]

    operations = [
        # Does nothing on SQLite. pg_trgm is a trusted extension (PostgreSQL 13+), so
        # a database owner who is not a superuser may create it.
        TrigramExtension(),
        migrations.RunPython(
            run(POSTGRESQL, forwards=True), run(POSTGRESQL, forwards=False), elidable=False
        ),
        migrations.RunPython(
            run(SQLITE, forwards=True), run(SQLITE, forwards=False), elidable=False
        ),
    ]
