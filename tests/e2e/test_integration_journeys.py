"""Issue 16's integration pages in the browser, with JavaScript and without: an API token is
made from Settings, shown once, used over HTTP and revoked; a webhook to a local receiver is
tested, turned off and on and deleted; the export is downloaded; files are imported after a
preview, and a malformed one is refused with nothing written; axe on every page, light and
dark."""

import csv
import io
import json
import re
import urllib.error
import urllib.request
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import AccessToken
from tests.e2e.steps import add, both_schemes, check_as_shown, message, row, signed_in_context
from todos.models import Project, Task
from todos.tests.factories import ProjectFactory
from transfer.models import PendingImport
from webhooks.models import Delivery, Webhook
from webhooks.tests import conftest as webhook_fixtures
from webhooks.tests.test_webhooks import verify

pytestmark = pytest.mark.django_db(transaction=True)

BOTH = pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
SAMPLES = Path(__file__).resolve().parents[2] / "transfer" / "tests" / "samples"
CHECKLIST = "- [ ] Buy milk\n  - [ ] Semi-skimmed, two pints\nRemember the bags\n"
# crispy-forms marks a required field with an asterisk inside its label.
FILE_LABEL = re.compile(r"^\s*File\W*$")

# Straight to the live server, whatever proxy the environment names.
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))
# A receiver on loopback, where deliveries may go because the operator setting is on.
receiver = webhook_fixtures.receiver


def call_api(live_server, secret: str, method: str = "GET", body: dict | None = None):
    """Send a request to /api/v1/me/ with the token, as a script would; return status and JSON."""
    # The address is the live server's own http:// one.
    request = urllib.request.Request(  # noqa: S310
        live_server.url + "/api/v1/me/",
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={
            "Authorization": f"Bearer {secret}",
            "Accept": "application/json",
            "Content-Type": "application/json",
        },
    )
    try:
        with DIRECT.open(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def open_from_settings(page: Page, live_server, axe, link: str) -> None:
    page.goto(live_server.url + "/accounts/settings/")
    axe.check()
    page.get_by_role("link", name=link).click()


@pytest.fixture
def signed_in(browser, live_server, axe_for, user, javascript):
    """Give a page signed in as `user`, with JavaScript on or off, and the audit of its pages."""
    context = signed_in_context(browser, live_server, user, java_script_enabled=javascript)
    page = context.new_page()
    yield page, axe_for(page, javascript=javascript)
    context.close()


@BOTH
def test_a_read_only_token_is_shown_once_reads_cannot_write_and_stops_when_revoked(
    signed_in, live_server, user
):
    page, axe = signed_in
    open_from_settings(page, live_server, axe, "Manage your API tokens")
    expect(heading(page)).to_have_text("API tokens")
    expect(page.get_by_text("You have no tokens yet.")).to_be_visible()
    axe.check()

    page.get_by_role("textbox", name="Name").fill("Backup script")
    page.get_by_role("radio", name="Read only").check()
    page.get_by_role("combobox", name="Expires").select_option(label="In 30 days")
    page.get_by_role("button", name="Make the token").click()
    shown = page.get_by_role("region", name="Your new token “Backup script”")
    expect(shown.get_by_text("Copy it now: it is shown only this once.")).to_be_visible()
    secret = shown.get_by_role("textbox", name="Token").input_value()
    assert secret.startswith("tl_")
    expires = timezone.localtime(AccessToken.objects.get().expires_at, ZoneInfo(user.timezone))
    assert (expires.date() - timezone.localdate(timezone=ZoneInfo(user.timezone))).days == 30
    listed = page.locator(".list-group-item").filter(has_text="Backup script")
    expect(listed).to_contain_text("Read only")
    expect(listed).to_contain_text(f"expires {expires.day} {expires:%b %Y}")
    expect(listed).to_contain_text("never used")
    check_as_shown(axe, page)

    # Once only: the page loaded again has no trace of the secret.
    page.reload()
    expect(page.get_by_role("textbox", name="Token")).to_have_count(0)
    assert secret not in page.content()
    both_schemes(page, axe)

    status, me = call_api(live_server, secret)
    assert (status, me["username"]) == (200, "ada")
    status, problem = call_api(live_server, secret, "PATCH", {"display_name": "Countess"})
    assert status == 403
    assert "can only read" in problem["detail"]
    user.refresh_from_db()
    assert user.display_name != "Countess"
    page.reload()
    expect(listed).to_contain_text("last used")
    axe.check()

    listed.get_by_role("link", name="Revoke “Backup script”").click()
    expect(heading(page)).to_have_text("Revoke “Backup script”?")
    axe.check()
    page.get_by_role("button", name="Revoke the token").click()
    expect(
        message(page, "The token “Backup script” was revoked: it no longer works.")
    ).to_be_visible()
    expect(page.get_by_text("You have no tokens yet.")).to_be_visible()
    axe.check()
    status, problem = call_api(live_server, secret)
    assert status == 401
    assert "revoked" in problem["detail"]


@BOTH
def test_a_webhook_is_added_tested_turned_off_and_on_and_deleted(
    signed_in, live_server, user, receiver
):
    page, axe = signed_in
    open_from_settings(page, live_server, axe, "Send your task changes to other tools")
    expect(heading(page)).to_have_text("Webhooks")
    expect(page.get_by_text("No webhooks yet.")).to_be_visible()
    axe.check()

    page.get_by_role("textbox", name="URL").fill(receiver.url)
    page.get_by_role("checkbox", name="A comment is added").uncheck()
    page.get_by_role("button", name="Add webhook").click()
    expect(message(page, "Webhook added. Its secret is on its page.")).to_be_visible()
    expect(heading(page)).to_have_text(f"Webhook to {receiver.url}")
    secret = page.get_by_role("textbox", name="Signing secret").input_value()
    assert secret.startswith("whsec_")
    expect(page.get_by_text("Nothing delivered yet.")).to_be_visible()
    assert "comment.added" not in Webhook.objects.get().events
    axe.check()

    # Sent by the background worker (run at once here), before the page comes back.
    page.get_by_role("button", name="Send test event").click()
    expect(message(page, "Test event queued: it is listed below once sent.")).to_be_visible()
    deliveries = page.get_by_role("table", name="Deliveries")
    expect(deliveries.locator("tbody tr")).to_have_count(1)
    expect(deliveries.locator("tbody tr td")).to_have_text(
        [re.compile(r"\S"), "webhook.test", re.compile(r"^Delivered \(200\)"), "1"]
    )
    assert receiver.events() == ["webhook.test"]
    assert verify(secret, receiver.requests[0]), "the secret on the page does not sign"
    both_schemes(page, axe)

    page.get_by_role("button", name="Turn off").click()
    expect(message(page, "Webhook turned off.")).to_be_visible()
    expect(page.locator("#webhook-disabled")).to_contain_text("This webhook is off.")
    expect(page.get_by_role("button", name="Send test event")).to_have_count(0)
    axe.check()
    add(user, "Buy milk")
    assert receiver.events() == ["webhook.test"]
    page.get_by_role("link", name="All webhooks").click()
    listed = page.get_by_role("list", name="Your webhooks").get_by_role("listitem")
    expect(listed).to_have_text([re.compile(re.escape(receiver.url) + r"\s+Off")])
    axe.check()

    listed.get_by_role("link", name=receiver.url).click()
    page.get_by_role("button", name="Turn it back on").click()
    expect(message(page, "Webhook turned on: new events will be delivered.")).to_be_visible()
    expect(page.locator("#webhook-disabled")).to_have_count(0)
    axe.check()
    add(user, "Buy bread")
    assert receiver.events() == ["webhook.test", "task.created"]
    page.reload()
    expect(deliveries.locator("tbody tr td:nth-child(2)")).to_have_text(
        ["task.created", "webhook.test"]
    )
    axe.check()

    page.get_by_role("link", name="Delete…").click()
    expect(heading(page)).to_have_text("Delete this webhook?")
    axe.check()
    page.get_by_role("button", name="Delete webhook").click()
    expect(message(page, f"Webhook to {receiver.url} deleted.")).to_be_visible()
    expect(page.get_by_text("No webhooks yet.")).to_be_visible()
    assert (Webhook.objects.count(), Delivery.objects.count()) == (0, 0)
    axe.check()


@BOTH
def test_the_export_downloads_as_json_and_csv_with_the_persons_tasks(signed_in, live_server, user):
    project = ProjectFactory(owner=user, name="Household")
    add(user, "Buy milk", project=project, priority=1)
    page, axe = signed_in
    open_from_settings(page, live_server, axe, "Export your data")
    expect(heading(page)).to_have_text("Export your data")
    axe.check()

    day = timezone.localdate(timezone=ZoneInfo(user.timezone)).isoformat()
    with page.expect_download() as caught:
        page.get_by_role("link", name="Download everything (JSON)").click()
    assert caught.value.suggested_filename == f"ticklist-ada-{day}.json"
    document = json.loads(Path(caught.value.path()).read_text())
    assert (document["format"], document["username"]) == ("ticklist", "ada")
    projects = {project["id"]: project["name"] for project in document["projects"]}
    assert [
        (projects[task["project"]], task["title"], task["priority"]) for task in document["tasks"]
    ] == [("Household", "Buy milk", 1)]

    with page.expect_download() as caught:
        page.get_by_role("link", name="Download tasks (CSV)").click()
    assert caught.value.suggested_filename == f"ticklist-ada-{day}.csv"
    rows = list(csv.DictReader(io.StringIO(Path(caught.value.path()).read_text())))
    assert [(row["project"], row["title"], row["priority"]) for row in rows] == [
        ("Household", "Buy milk", "1")
    ]
    # A download leaves the page where it was.
    expect(heading(page)).to_have_text("Export your data")


def upload(page: Page, kind: str, name: str, text: str) -> None:
    page.get_by_role("combobox", name="What kind of file").select_option(label=kind)
    page.get_by_label(FILE_LABEL).set_input_files(
        files=[{"name": name, "mimeType": "text/plain", "buffer": text.encode()}]
    )
    page.get_by_role("button", name="Preview").click()


@BOTH
def test_a_checklist_and_a_todoist_csv_are_previewed_then_imported(signed_in, live_server, user):
    page, axe = signed_in
    open_from_settings(page, live_server, axe, "Import tasks")
    expect(heading(page)).to_have_text("Import tasks")
    axe.check()

    upload(page, "Markdown checklist", "shopping.md", CHECKLIST)
    preview = page.get_by_role("region", name="Preview of shopping.md")
    expect(preview.locator("#import-counts li")).to_have_text(["1 task", "1 sub-task"])
    expect(preview.locator("tbody tr")).to_have_text(
        [re.compile(r"^Buy milk\s*Inbox"), re.compile(r"^↳ Semi-skimmed, two pints\s*Inbox")]
    )
    expect(preview.locator("#import-problems li")).to_have_text(
        ["Line 3: Not a checklist item (- [ ] …): skipped."]
    )
    assert Task.objects.count() == 0, "the preview wrote tasks"
    both_schemes(page, axe)
    preview.get_by_role("button", name="Import").click()
    expect(message(page, "Imported 1 task, 1 sub-task.")).to_be_visible()
    expect(page.get_by_role("region", name=re.compile(r"^Preview"))).to_have_count(0)
    axe.check()
    page.goto(live_server.url + "/inbox/")
    expect(row(page, "Buy milk")).to_contain_text("0/1 sub-tasks done")
    axe.check()
    milk = Task.objects.get(title="Buy milk")
    assert list(milk.subtasks.values_list("title", flat=True)) == ["Semi-skimmed, two pints"]
    assert milk.project.is_inbox

    page.goto(live_server.url + "/accounts/import/")
    axe.check()
    sample = (SAMPLES / "todoist.csv").read_text()
    upload(page, "Todoist CSV", "Chores.csv", sample)
    preview = page.get_by_role("region", name="Preview of Chores.csv")
    expect(preview.locator("#import-counts li")).to_have_text(
        ["2 projects", "3 tasks", "1 sub-task", "1 tag", "1 comment"]
    )
    expect(preview.locator("tbody tr td:first-child")).to_have_text(
        ["Buy milk", "↳ Check the date", "Post the parcel", "Bad priority"]
    )
    expect(preview.locator("#import-problems li")).to_have_text(
        [
            "Line 8: PRIORITY “9” is not 1 to 4: left at 4.",
            "Line 8: Could not read the date “someday soonish”.",
        ]
    )
    axe.check()
    preview.get_by_role("button", name="Import").click()
    expect(
        message(
            page,
            "Imported 2 projects, 3 tasks, 1 sub-task, 1 tag, 1 comment.",
        )
    ).to_be_visible()
    axe.check()
    page.goto(live_server.url + "/inbox/")
    axe.check()
    page.get_by_role("navigation", name="Lists").get_by_role(
        "link", name="Chores / Errands"
    ).click()
    expect(row(page, "Post the parcel")).to_be_visible()
    expect(row(page, "Bad priority")).to_be_visible()
    axe.check()


@BOTH
def test_a_malformed_file_is_refused_with_a_reason_and_nothing_is_written(
    signed_in, live_server, user
):
    add(user, "Already here")
    before = (Project.objects.count(), Task.objects.count(), PendingImport.objects.count())
    page, axe = signed_in
    page.goto(live_server.url + "/accounts/import/")
    axe.check()

    upload(page, "Todoist CSV", "tasks.csv", "title,when\nBuy milk,tomorrow\n")
    expect(
        page.get_by_text(
            "This is not a Todoist CSV: the first row must name the columns TYPE and CONTENT."
        )
    ).to_be_visible()
    expect(page.get_by_label(FILE_LABEL)).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("combobox", name="What kind of file")).to_have_value("todoist")
    expect(page.get_by_role("region", name=re.compile(r"^Preview"))).to_have_count(0)
    check_as_shown(axe, page)
    assert (Project.objects.count(), Task.objects.count(), PendingImport.objects.count()) == before

    upload(page, "Ticklist export (JSON)", "backup.json", '{"format": "ticklist", "tasks": [')
    expect(
        page.get_by_text("The file is not valid JSON (line 1: Expecting value).")
    ).to_be_visible()
    check_as_shown(axe, page)
    assert (Project.objects.count(), Task.objects.count(), PendingImport.objects.count()) == before
