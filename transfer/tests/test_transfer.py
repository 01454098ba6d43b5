import contextlib
import json
import time as clock
from datetime import UTC, date, datetime, time
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.tests.factories import UserFactory
from reminders import schedule
from todos import comments, services
from todos.models import Completion, Task
from transfer import export
from transfer import services as transfer
from transfer.models import PendingImport
from transfer.plan import MAX_BYTES, Unreadable, decode
from transfer.writer import write

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).parent / "samples"
NOW = datetime(2026, 12, 4, 12, tzinfo=UTC)


def everything(user):
    """Give the person one of every thing an export holds, every field set."""
    user.timezone, user.theme, user.digest_hour = "Europe/Lisbon", "dark", 7
    user.save()
    inbox = services.ensure_inbox(user)
    home = services.create_project(owner=user, name="Home", colour="red")
    services.set_favourite(home, True)
    old = services.create_project(owner=user, name="Old", colour="blue")
    services.set_archived(old, True)
    (bills,) = services.tags_named(user, ["bills"])
    rent = services.create_task(
        owner=user,
        project=home,
        title="=Pay rent",
        notes='Standing order, "quoted", ünïcode',
        due_date=date(2026, 12, 1),
        due_time=time(9, 30),
        priority=1,
        tags=[bills],
        recurrence="FREQ=MONTHLY",
        recurrence_mode="completion",
        assignee=user,
    )
    services.set_completed(rent, True, now=NOW, by=user)
    services.create_task(owner=user, project=home, title="Check statement", parent=rent)
    done = services.create_task(owner=user, project=inbox, title="Done thing")
    services.set_completed(done, True, now=NOW)
    binned = services.create_task(owner=user, project=old, title="Binned")
    services.trash(binned, now=NOW)
    comments.add(rent, user, "Ask the bank")
    schedule.add(rent, minutes_before=15)
    schedule.add(rent, at=datetime(2030, 1, 1, 8, tzinfo=UTC))
    return rent


def test_a_json_export_imported_into_an_empty_account_exports_the_same(user):
    rent = everything(user)
    assert Completion.objects.filter(task=rent).exists()
    first = export.document(user)
    other = UserFactory(username="newcomer")
    plan = transfer.read("ticklist", export.as_json(user), user=other, now=NOW)
    write(plan, other, now=NOW)
    other.refresh_from_db()
    # The new account's own name stands where the old one's did, and nowhere else.
    again = json.loads(export.as_json(other).replace('"newcomer"', '"ada"'))
    assert '"newcomer"' in export.as_json(other)
    assert again == first
    assert len(first["tasks"]) == 4


def test_the_same_data_gives_the_same_file(user):
    everything(user)
    assert export.as_json(user) == export.as_json(user)


def test_csv_has_a_row_per_task_and_no_formula(user):
    everything(user)
    text = export.as_csv(user)
    lines = text.splitlines()
    assert lines[0].startswith("id,project,parent,title")
    assert len(lines) == 5
    assert "'=Pay rent" in text


@pytest.mark.parametrize(
    ("format", "sample", "counts"),
    [
        ("markdown", "checklist.md", {"projects": 2, "tasks": 3, "sub-tasks": 2}),
        ("todoist", "todoist.csv", {"projects": 2, "tasks": 3, "sub-tasks": 1, "tags": 1}),
        ("todotxt", "todo.txt", {"projects": 2, "tasks": 4, "tags": 3}),
        ("ticklist", "ticklist.json", {"projects": 1, "tasks": 2, "sub-tasks": 1, "tags": 1}),
    ],
)
def test_every_sample_imports(user, format, sample, counts):
    path = SAMPLES / sample
    plan = transfer.read(format, decode(path.read_bytes()), user=user, filename=path.name, now=NOW)
    assert {name: plan.counts[name] for name in counts} == counts
    write(plan, user, now=NOW)
    assert Task.objects.owned_by(user).count() == len(plan.tasks)


def test_todoist_priorities_dates_labels_and_notes(user):
    path = SAMPLES / "todoist.csv"
    plan = transfer.read("todoist", path.read_text(), user=user, filename=path.name, now=NOW)
    milk, check, parcel, bad = plan.tasks
    assert (milk.title, milk.priority, milk.tags, milk.due_date) == (
        "Buy milk",
        1,
        ["groceries"],
        date(2026, 12, 5),
    )
    assert check.comments[0]["body"] == "Ask at the corner shop"
    assert check.parent == 0
    assert check.priority == 4
    assert parcel.project == "todoist / Errands"
    assert parcel.recurrence.startswith("FREQ=WEEKLY")
    assert bad.priority == 4
    assert [problem.line for problem in plan.problems] == [8, 8]


def test_todotxt_reads_done_priority_and_due(user):
    plan = transfer.read("todotxt", (SAMPLES / "todo.txt").read_text(), user=user, now=NOW)
    plumber, invoice, book, _odd = plan.tasks
    assert (plumber.priority, plumber.project, plumber.tags, plumber.due_date) == (
        1,
        "Home",
        ["phone"],
        date(2026, 12, 10),
    )
    assert invoice.completed_at.date() == date(2026, 12, 1)
    assert invoice.created_at.date() == date(2026, 11, 28)
    assert book.project == "Inbox"
    assert {problem.line for problem in plan.problems} == {4}


def test_a_clashing_project_name_imports_beside_the_old_one(user):
    services.create_project(owner=user, name="Home", colour="grey")
    plan = transfer.read("markdown", "# Home\n- [ ] New\n", user=user, now=NOW)
    write(plan, user, now=NOW)
    assert Task.objects.get(title="New").project.name == "Home (imported)"


@pytest.mark.parametrize(
    ("format", "data", "message"),
    [
        ("ticklist", b"{broken", "not valid JSON"),
        ("ticklist", b'{"format": "ticklist", "version": 99}', "version 99"),
        ("ticklist", b"[]", "not a Ticklist export"),
        ("todoist", b"NAME,WHEN\nx,y\n", "TYPE and CONTENT"),
        ("markdown", b"\xff\xfe\x00bad", "not UTF-8"),
        ("markdown", b"   \n", "empty"),
        ("markdown", b"just prose\n", "nothing Ticklist can import"),
    ],
)
def test_malformed_files_say_why_and_write_nothing(client_logged_in, user, format, data, message):
    response = client_logged_in.post(
        reverse("accounts:import"),
        {"format": format, "file": SimpleUploadedFile("f.txt", data)},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not PendingImport.objects.exists()
    assert not Task.objects.exists()


def test_too_big_is_refused():
    with pytest.raises(Unreadable, match="10 MB"):
        decode(b"x" * (MAX_BYTES + 1))


def test_preview_then_confirm_imports_once(client_logged_in, user):
    url = reverse("accounts:import")
    response = client_logged_in.post(
        url,
        {
            "format": "markdown",
            "file": SimpleUploadedFile("list.md", (SAMPLES / "checklist.md").read_bytes()),
        },
    )
    assert response.status_code == 302
    assert not Task.objects.exists()
    page = client_logged_in.get(url).content.decode()
    assert "Pay rent" in page
    assert "Line 9" in page
    response = client_logged_in.post(url, {"action": "confirm"}, follow=True)
    assert "Imported 2 projects, 3 tasks, 2 sub-tasks." in response.content.decode()
    assert Task.objects.owned_by(user).count() == 5
    client_logged_in.post(url, {"action": "confirm"})
    assert Task.objects.owned_by(user).count() == 5


def test_cancel_writes_nothing(client_logged_in, user):
    url = reverse("accounts:import")
    client_logged_in.post(
        url, {"format": "todotxt", "file": SimpleUploadedFile("t.txt", b"Task\n")}
    )
    client_logged_in.post(url, {"action": "cancel"})
    assert not PendingImport.objects.exists()
    assert not Task.objects.exists()


def test_a_large_import_goes_to_the_worker(
    client_logged_in, user, django_capture_on_commit_callbacks
):
    url = reverse("accounts:import")
    text = "".join(f"- [ ] Task {n}\n" for n in range(transfer.INLINE_TASKS + 1))
    client_logged_in.post(
        url, {"format": "markdown", "file": SimpleUploadedFile("big.md", text.encode())}
    )
    with django_capture_on_commit_callbacks(execute=True):
        client_logged_in.post(url, {"action": "confirm"})
    response = client_logged_in.get(url)
    # The test runs background tasks at once.
    assert Task.objects.owned_by(user).count() == transfer.INLINE_TASKS + 1
    assert "Imported" in response.content.decode()


def test_a_strangers_pending_import_is_not_confirmed(client, user, other_user):
    PendingImport.objects.create(owner=other_user, format="todotxt", text="Secret\n")
    client.force_login(user)
    client.post(reverse("accounts:import"), {"action": "confirm"})
    assert not Task.objects.exists()


def test_export_downloads_with_a_filename(client_logged_in, user):
    everything(user)
    response = client_logged_in.get(reverse("accounts:export"), {"format": "json"})
    assert response["Content-Disposition"].startswith('attachment; filename="ticklist-ada-')
    assert json.loads(response.content)["version"] == 1
    response = client_logged_in.get(reverse("accounts:export"), {"format": "csv"})
    assert response["Content-Disposition"].endswith('.csv"')
    assert client_logged_in.get(reverse("accounts:export")).status_code == 200


def test_export_counts_queries(client_logged_in, user, django_assert_max_num_queries):
    everything(user)
    with django_assert_max_num_queries(15):
        client_logged_in.get(reverse("accounts:export"), {"format": "json"})


@pytest.mark.parametrize("name", ["accounts:export", "accounts:import"])
def test_anonymous_is_sent_to_log_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert "?next=" in response["Location"]


def test_commands_export_and_import(user, tmp_path):
    everything(user)
    target = tmp_path / "out.json"
    out = StringIO()
    call_command("export_user", "ada", "--output", str(target), stdout=out)
    assert "4/4" in out.getvalue()
    UserFactory(username="bea")
    out = StringIO()
    call_command(
        "import_user", "bea", str(target), "--format", "ticklist", "--dry-run", stdout=out
    )
    assert "Would import" in out.getvalue()
    assert not Task.objects.filter(owner__username="bea").exists()
    call_command("import_user", "bea", str(target), "--format", "ticklist", stdout=StringIO())
    assert Task.objects.filter(owner__username="bea").count() == 4
    with pytest.raises(CommandError, match="No user"):
        call_command("import_user", "nobody", str(target), "--format", "ticklist")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_user", "bea", str(tmp_path / "missing"), "--format", "ticklist")


@pytest.mark.parametrize(
    ("format", "line"),
    [
        ("markdown", "- [ ] " + "[" * 40 + "\n"),
        ("todotxt", "x (A) 2026-01-01 @a +b due:2026-01-01 " + "x" * 30 + "\n"),
        ("todoist", "task," + '"' * 3 + "@" * 30 + ",,4,2,,,,,\n"),
    ],
)
def test_parsers_are_linear_on_hostile_input(user, format, line):
    def seconds(size):
        body = (
            "TYPE,CONTENT,DESCRIPTION,PRIORITY,INDENT,A,B,DATE,C,D\n"
            if format == "todoist"
            else ""
        )
        text = body + line * (size // len(line))
        start = clock.perf_counter()
        with contextlib.suppress(Unreadable):
            transfer.read(format, text, user=user, now=NOW)
        return clock.perf_counter() - start

    small, large = seconds(100_000), seconds(1_000_000)
    assert large < small * 25 + 0.5
