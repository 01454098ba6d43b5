"""Sharing a project: invitations, members and roles, leaving, handing over; the pages for them."""

import time
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from reminders import dispatch, schedule
from reminders.models import Notification, Reminder
from tests.html import html_errors
from todos import services, sharing
from todos.changes import clear_caches
from todos.models import Completion, Invitation, Membership, Project, Role, Task
from todos.selectors import Sidebar
from todos.tests.factories import MembershipFactory, ProjectFactory, TaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(user):
    return ProjectFactory(owner=user, name="Household")


@pytest.fixture
def sam(db):
    return UserFactory(username="sam", email="sam@example.com", display_name="Sam Lee")


@pytest.fixture
def editor(project, sam):
    MembershipFactory(project=project, user=sam, role=Role.EDITOR)
    return sam


@pytest.fixture
def second(db):
    """A browser of its own, for a second person beside `client_logged_in`."""
    return Client()


@pytest.fixture
def viewer(project):
    person = UserFactory(username="vic")
    MembershipFactory(project=project, user=person, role=Role.VIEWER)
    return person


def invite(project, who, role=Role.EDITOR):
    return sharing.invite(project, by=project.owner, who=who, role=role)


def refusal(project, who, role=Role.EDITOR) -> str:
    with pytest.raises(sharing.Refused) as refused:
        invite(project, who, role)
    return str(refused.value)


def members_url(project) -> str:
    return reverse("todos:project_members", args=[project.pk])


# Inviting


def test_an_account_is_invited_by_username_in_any_case_and_told_in_the_app(project, sam):
    invitation = invite(project, "  SAM ", Role.VIEWER)

    assert (invitation.user, invitation.role) == (sam, Role.VIEWER)
    waits = invitation.expires_at - invitation.created_at
    assert abs(waits - timedelta(days=14)) < timedelta(minutes=1)
    note = Notification.objects.get(user=sam)
    assert note.kind == Notification.Kind.INVITATION
    assert note.title == "ada invited you to “Household”"
    assert note.path == "/invitations/"
    sam.refresh_from_db()
    assert Sidebar(sam).invitation_count == 1


def test_an_account_is_found_by_its_confirmed_email_or_an_at_username(project, sam):
    assert invite(project, "Sam@Example.com").user == sam
    other = UserFactory(username="kim")
    assert invite(project, "@kim").user == other


def test_the_inbox_is_never_shared(user, sam):
    inbox = services.ensure_inbox(user)
    assert "Inbox" in refusal(inbox, "sam")
    assert not Invitation.objects.exists()


def test_inviting_yourself_is_refused(project):
    assert refusal(project, "ada") == "That is you: you own this project already."
    assert refusal(project, "ada@example.com") == "That is you: you own this project already."


def test_inviting_a_member_is_refused(project, editor):
    assert refusal(project, "sam") == "Sam Lee is already a member of “Household”."


def test_a_second_invitation_to_someone_waiting_is_refused_and_says_so(project, sam):
    invite(project, "sam")
    message = refusal(project, "sam@example.com")
    assert message.startswith("An invitation to Sam Lee is already waiting for an answer")
    assert "Withdraw it first" in message
    invite(project, "friend@example.com")
    assert "already waiting" in refusal(project, "FRIEND@example.com")
    assert Invitation.objects.count() == 2


def test_an_unknown_username_is_refused_but_an_unknown_address_waits(project):
    assert refusal(project, "nobody").startswith("No one here has the username “nobody”.")
    assert refusal(project, "not an@address") == "“not an@address” is not an email address."
    invitation = invite(project, "friend@example.com")
    assert (invitation.user, invitation.email) == (None, "friend@example.com")


def test_only_the_owner_invites_and_only_as_editor_or_viewer(project, editor):
    with pytest.raises(PermissionDenied):
        sharing.invite(project, by=editor, who="kim@example.com", role=Role.EDITOR)
    assert refusal(project, "kim@example.com", role=Role.OWNER) == "Pick a role: editor or viewer."
    assert not Invitation.objects.exists()


def test_an_expired_invitation_gives_way_to_a_new_one(project, sam):
    old = invite(project, "sam")
    Invitation.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(minutes=1))

    new = invite(project, "sam")

    assert list(Invitation.objects.all()) == [new]


# Answering


def test_accepting_joins_in_the_invitations_role_and_uses_it_up(project, sam):
    invitation = invite(project, "sam", Role.VIEWER)

    membership = sharing.accept(invitation, sam)

    assert (membership.project, membership.user, membership.role) == (project, sam, "viewer")
    assert not Invitation.objects.exists()
    sam.refresh_from_db()
    assert sam.shared_projects == 1
    assert Sidebar(sam).invitation_count == 0
    assert project.pk in Sidebar(sam).shared_ids


def test_the_owners_sidebar_marks_the_project_shared_once_someone_joins_and_leaves(project, sam):
    owner = project.owner
    assert project.pk not in Sidebar(owner).shared_ids  # cached now

    sharing.accept(invite(project, "sam"), sam)
    owner.refresh_from_db()
    assert project.pk in Sidebar(owner).shared_ids

    sharing.leave(project, sam)
    owner.refresh_from_db()
    assert project.pk not in Sidebar(owner).shared_ids


def test_an_expired_invitation_cannot_be_accepted(project, sam):
    invitation = invite(project, "sam")
    later = invitation.expires_at + timedelta(seconds=1)

    with pytest.raises(sharing.Refused, match=r"ran out on .*: ask ada to invite you again"):
        sharing.accept(invitation, sam, now=later)

    assert not Membership.objects.exists()
    assert not sharing.waiting_for(sam, now=later).exists()


def test_only_the_invited_person_answers(project, sam, other_user):
    invitation = invite(project, "sam")
    for answer in (sharing.accept, sharing.decline):
        with pytest.raises(sharing.Refused, match="for someone else"):
            answer(invitation, other_user)
    assert Invitation.objects.filter(pk=invitation.pk).exists()


def test_declining_removes_the_invitation_once(project, sam):
    invitation = invite(project, "sam")

    assert sharing.decline(invitation, sam) is True
    assert sharing.decline(invitation, sam) is False
    assert not Membership.objects.exists()


def test_the_owner_withdraws_an_invitation_and_nobody_else_can(project, sam, viewer):
    invitation = invite(project, "sam")
    with pytest.raises(PermissionDenied):
        sharing.withdraw(invitation, by=viewer)

    assert sharing.withdraw(invitation, by=project.owner) is True
    assert not Invitation.objects.exists()
    with pytest.raises(sharing.Refused, match="no longer waiting"):
        sharing.accept(invitation, sam)


def test_an_address_invited_before_its_account_existed_is_matched_once_confirmed(project):
    invitation = invite(project, "Newcomer@Example.com")
    # Signing up leaves the address waiting for confirmation: not theirs yet.
    newcomer = UserFactory(username="newcomer", email="", pending_email="newcomer@example.com")
    assert not sharing.waiting_for(newcomer).exists()

    newcomer.email, newcomer.pending_email = "newcomer@example.com", ""
    newcomer.save()

    assert list(sharing.waiting_for(newcomer)) == [invitation]
    assert Sidebar(newcomer).invitation_count == 1
    sharing.accept(invitation, newcomer)
    assert Membership.objects.get(user=newcomer).project == project


# Members


@pytest.fixture
def chores(project, editor):
    """Tasks of the project assigned to the editor, one a sub-task and one in the trash."""
    parent = TaskFactory(project=project, title="Clean", assignee=editor)
    return [
        parent,
        TaskFactory(project=project, parent=parent, title="Kitchen", assignee=editor),
        TaskFactory(project=project, title="Old", assignee=editor, deleted_at=timezone.now()),
    ]


def test_a_member_who_leaves_loses_access_and_their_tasks_go_to_nobody(project, editor, chores):
    assert sharing.leave(project, editor) is True

    assert not Task.objects.filter(assignee=editor).exists()
    assert not Task.objects.owned_by(editor).exists()
    assert sharing.leave(project, editor) is False
    # The history of what they did stays with the project.
    assert Task.history.filter(id=chores[0].pk, assignee=editor).exists()


def test_the_owner_cannot_leave(project):
    with pytest.raises(sharing.Refused, match="hand it over to a member first"):
        sharing.leave(project, project.owner)


def test_the_owner_removes_a_member_and_only_the_owner_can(project, editor, viewer, chores):
    with pytest.raises(PermissionDenied):
        sharing.remove_member(project, by=editor, user=viewer)

    assert sharing.remove_member(project, by=project.owner, user=editor) is True

    assert list(Membership.objects.values_list("user__username", flat=True)) == ["vic"]
    assert not Task.objects.filter(assignee=editor).exists()
    assert sharing.remove_member(project, by=project.owner, user=editor) is False


def test_the_owner_changes_a_role_and_the_member_can_no_longer_edit(project, editor, chores):
    editor.refresh_from_db()
    assert Task.objects.editable_by(editor).count() == 3

    assert sharing.change_role(project, by=project.owner, user=editor, role=Role.VIEWER) is True

    assert Membership.objects.get(user=editor).role == Role.VIEWER
    assert not Task.objects.editable_by(editor).exists()
    assert Task.objects.for_user(editor).count() == 2
    assert sharing.change_role(project, by=project.owner, user=editor, role=Role.VIEWER) is False
    with pytest.raises(PermissionDenied):
        sharing.change_role(project, by=editor, user=editor, role=Role.EDITOR)
    with pytest.raises(sharing.Refused, match="is not a member"):
        sharing.change_role(project, by=project.owner, user=UserFactory(), role=Role.EDITOR)


def test_handing_over_moves_the_project_and_every_task_to_the_new_owner(project, editor, chores):
    owner = project.owner
    done = Completion.objects.create(
        task=chores[0], owner=owner, completed_at=timezone.now(), due_date=None
    )
    reminder = schedule.add(chores[0], at=timezone.now() + timedelta(days=1))

    sharing.hand_over(project, by=owner, to=editor)

    for person in (owner, editor):
        person.refresh_from_db()
    assert (owner.shared_projects, editor.shared_projects) == (1, 0)
    project.refresh_from_db()
    assert project.owner == editor
    assert Membership.objects.get(project=project).user == owner
    assert Membership.objects.get(project=project).role == Role.EDITOR
    assert set(Task.objects.filter(project=project).values_list("owner", flat=True)) == {editor.pk}
    done.refresh_from_db()
    assert done.owner == editor
    assert Reminder.objects.get(pk=reminder.pk).owner == editor
    assert Task.objects.owned_by(owner).count() == 3
    assert Task.objects.editable_by(owner).count() == 3
    with pytest.raises(PermissionDenied):
        sharing.invite(project, by=owner, who="kim@example.com", role=Role.EDITOR)


def test_handing_over_to_someone_with_a_project_of_that_name_is_refused(project, editor):
    ProjectFactory(owner=editor, name="HOUSEHOLD")

    with pytest.raises(sharing.Refused, match="already has a project called “Household”"):
        sharing.hand_over(project, by=project.owner, to=editor)

    project.refresh_from_db()
    assert project.owner != editor
    assert Membership.objects.get(project=project).user == editor


def test_only_a_member_can_take_a_project_over(project, other_user):
    with pytest.raises(sharing.Refused, match="is not a member"):
        sharing.hand_over(project, by=project.owner, to=other_user)


# Email


def test_an_invited_account_gets_its_email_from_the_worker(project, sam, smtp_server):
    invite(project, "sam")
    assert smtp_server.messages == []

    dispatch.tick()

    (message,) = smtp_server.wait_for(1)
    assert message["To"] == "sam@example.com"
    assert message["Subject"] == "ada invited you to “Household”"
    body = message.get_content()
    assert "/invitations/" in body
    assert "Accept or decline on your invitations page" in body


def test_an_address_without_an_account_is_mailed_a_sign_up_link_after_commit(
    project, smtp_server, django_capture_on_commit_callbacks, settings
):
    with django_capture_on_commit_callbacks(execute=False) as waiting:
        invite(project, "friend@example.com", Role.VIEWER)
    assert smtp_server.messages == []  # nothing leaves before the invitation is saved

    for callback in waiting:
        callback()

    (message,) = smtp_server.wait_for(1)
    assert message["To"] == "friend@example.com"
    assert message["Subject"] == "ada invited you to “Household” on Ticklist"
    body = message.get_content()
    assert f"{settings.SITE_URL}/accounts/signup/" in body
    assert f"{settings.SITE_URL}/invitations/" in body
    assert "as a viewer" in body


@pytest.mark.django_db(transaction=True)
def test_a_worker_process_mails_both_kinds_of_invitation_once(worker, smtp_server, user):
    project = ProjectFactory(owner=user, name="Household")
    UserFactory(username="sam", email="sam@example.com")
    invite(project, "sam")
    invite(project, "friend@example.com")
    assert smtp_server.messages == []

    worker.start()

    messages = smtp_server.wait_for(2)
    assert sorted(message["To"] for message in messages) == [
        "friend@example.com",
        "sam@example.com",
    ]
    time.sleep(1)
    assert len(smtp_server.messages) == 2


@pytest.mark.django_db(transaction=True)
def test_an_invitation_sent_while_smtp_is_down_arrives_once_it_is_back(
    client, worker, smtp_server, user
):
    from django_tasks_db.models import DBTaskResult

    from conftest import wait_until

    project = ProjectFactory(owner=user, name="Household")
    smtp_server.stop()
    client.force_login(user)

    response = client.post(
        reverse("todos:project_members", args=[project.pk]),
        {"who": "friend@example.com", "role": "editor"},
    )

    assert response.status_code == 302
    assert Invitation.objects.filter(project=project, email="friend@example.com").exists()
    worker.start()
    mail_tasks = DBTaskResult.objects.filter(task_path="django_project.mail.send_email")
    # The first try finds the server down and leaves another for later.
    assert wait_until(lambda: mail_tasks.filter(status="FAILED").exists()), worker.output()
    smtp_server.start()
    (message,) = smtp_server.wait_for(1)
    assert message["To"] == "friend@example.com"
    assert wait_until(lambda: not mail_tasks.filter(status="READY").exists())
    assert len(smtp_server.messages) == 1


def test_an_invitation_withdrawn_before_the_worker_came_is_not_mailed(project, mailoutbox):
    invitation = invite(project, "friend@example.com")
    sharing.withdraw(invitation, by=project.owner)

    assert sharing.send_invitation.call(invitation.pk) == "no longer waiting"
    assert mailoutbox == []


# Pages


def test_the_owner_sees_members_invitations_and_the_forms(client_logged_in, project, editor):
    invite(project, "friend@example.com")

    response = client_logged_in.get(members_url(project))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="avatar" aria-hidden="true">SL</span>' in html
    assert "Sam Lee" in html
    assert "friend@example.com" in html
    assert 'name="who"' in html
    assert "Withdraw" in html
    assert "Remove Sam Lee" in html
    assert "Hand over…" in html


def test_a_member_sees_the_list_and_a_leave_button_only(second, project, editor):
    second.force_login(editor)
    invite(project, "friend@example.com")

    html = second.get(members_url(project)).content.decode()

    assert "Sam Lee (you)" in html
    assert "ada" in html
    assert 'name="who"' not in html
    assert "friend@example.com" not in html
    assert "Leave “Household”" in html


def test_strangers_and_the_inbox_have_no_members_page(second, client_logged_in, user, project):
    second.force_login(UserFactory())
    assert second.get(members_url(project)).status_code == 404
    inbox = services.ensure_inbox(user)
    assert client_logged_in.get(members_url(inbox)).status_code == 404


def test_inviting_through_the_form_redirects_with_a_message(client_logged_in, project, sam):
    response = client_logged_in.post(
        members_url(project), {"who": "sam", "role": "viewer"}, follow=True
    )

    assert response.redirect_chain == [(members_url(project), 302)]
    assert "Invited Sam Lee to “Household”." in response.content.decode()
    assert Invitation.objects.get().user == sam


def test_a_refused_invitation_is_said_beside_the_field_and_keeps_the_text(
    client_logged_in, project
):
    response = client_logged_in.post(members_url(project), {"who": "nobody", "role": "editor"})

    html = response.content.decode()
    assert response.status_code == 422
    assert "No one here has the username “nobody”." in html
    assert 'value="nobody"' in html
    assert 'aria-invalid="true"' in html
    assert not Invitation.objects.exists()


def test_bad_form_input_is_a_422_not_a_500(client_logged_in, project):
    for data in ({}, {"who": "x" * 300, "role": "editor"}, {"who": "sam", "role": "owner"}):
        assert client_logged_in.post(members_url(project), data).status_code == 422


def test_under_htmx_the_members_page_answers_with_its_content(client_logged_in, project, sam):
    headers = {"HX-Request": "true", "HX-Current-URL": f"http://testserver{members_url(project)}"}

    sent = client_logged_in.post(
        members_url(project), {"who": "sam", "role": "editor"}, headers=headers
    )
    refused = client_logged_in.post(
        members_url(project), {"who": "sam", "role": "editor"}, headers=headers
    )

    assert sent.status_code == 200
    assert "<html" not in sent.content.decode()
    assert "Sam Lee" in sent.content.decode()
    assert 'id="sidebar-lists" data-hx-swap-oob="true"' in sent.content.decode()
    assert refused.status_code == 422
    assert "already waiting" in refused.content.decode()


def test_members_and_strangers_cannot_invite(client, project, editor):
    client.force_login(editor)
    assert (
        client.post(members_url(project), {"who": "kim@x.org", "role": "editor"}).status_code
        == 403
    )
    client.force_login(UserFactory())
    assert (
        client.post(members_url(project), {"who": "kim@x.org", "role": "editor"}).status_code
        == 404
    )
    assert not Invitation.objects.exists()


def test_changing_a_role_and_removing_through_the_page(second, client_logged_in, project, editor):
    role_url = reverse("todos:member_role", args=[project.pk, editor.pk])
    remove_url = reverse("todos:member_remove", args=[project.pk, editor.pk])

    response = client_logged_in.post(role_url, {"role": "viewer"}, follow=True)
    assert "Sam Lee is now a viewer of “Household”." in response.content.decode()
    assert client_logged_in.post(role_url, {"role": "boss"}).status_code == 302
    assert Membership.objects.get().role == Role.VIEWER

    second.force_login(editor)
    assert second.post(remove_url).status_code == 403
    assert second.post(role_url, {"role": "editor"}).status_code == 403

    response = client_logged_in.post(remove_url, follow=True)
    assert "Removed Sam Lee from “Household”." in response.content.decode()
    assert not Membership.objects.exists()
    # Again, or for someone who never was a member: said, without naming anyone.
    for url in (remove_url, reverse("todos:member_remove", args=[project.pk, UserFactory().pk])):
        again = client_logged_in.post(url, follow=True).content.decode()
        assert "That person is not a member of “Household” (any more)." in again
    assert second.get(project.get_absolute_url()).status_code == 404


def test_withdrawing_through_the_page(second, client_logged_in, project):
    invitation = invite(project, "friend@example.com")
    url = reverse("todos:invitation_withdraw", args=[invitation.pk])
    second.force_login(UserFactory())
    assert second.post(url).status_code == 404

    response = client_logged_in.post(url, follow=True)

    assert "Withdrew the invitation to friend@example.com." in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_member_leaves_through_the_page(second, client_logged_in, project, editor):
    second.force_login(editor)
    response = second.post(reverse("todos:project_leave", args=[project.pk]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("todos:today")
    assert "You left “Household”." in response.content.decode()
    assert not Membership.objects.exists()
    owner_tries = client_logged_in.post(reverse("todos:project_leave", args=[project.pk]))
    assert owner_tries.status_code == 302
    assert Project.objects.get(pk=project.pk).owner == project.owner


def test_handing_over_asks_first_then_moves_the_project(client_logged_in, project, editor):
    url = reverse("todos:project_hand_over", args=[project.pk])

    asked = client_logged_in.get(url, {"to": editor.pk})
    assert asked.status_code == 200
    assert "Hand “Household” over to Sam Lee?" in asked.content.decode()
    assert client_logged_in.get(url, {"to": "junk"}).status_code == 302
    assert client_logged_in.post(url, {"to": project.owner.pk}).status_code == 302
    project.refresh_from_db()
    assert project.owner != editor

    response = client_logged_in.post(url, {"to": editor.pk}, follow=True)

    assert (
        "“Household” now belongs to Sam Lee; you stay on as an editor."
        in response.content.decode()
    )
    project.refresh_from_db()
    assert project.owner == editor
    assert client_logged_in.get(members_url(project)).status_code == 200
    assert client_logged_in.get(url, {"to": editor.pk}).status_code == 403


def test_a_name_collision_on_hand_over_is_said_as_a_message(client_logged_in, project, editor):
    ProjectFactory(owner=editor, name="Household")
    url = reverse("todos:project_hand_over", args=[project.pk])

    response = client_logged_in.post(url, {"to": editor.pk}, follow=True)

    assert "Sam Lee already has a project called “Household”" in response.content.decode()
    assert Project.objects.get(pk=project.pk).owner == project.owner


def test_invitations_page_lists_waiting_ones_and_accepting_opens_the_project(client, project, sam):
    invitation = invite(project, "sam")
    expired = invite(ProjectFactory(name="Old club"), "sam")
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
    client.force_login(sam)

    page = client.get(reverse("todos:invitations")).content.decode()
    assert "Household" in page
    assert "Old club" not in page
    assert "ada invited you as an editor" in page
    assert 'Invitations</span><span class="side-count">1' in page

    url = reverse("todos:invitation_accept", args=[invitation.pk])
    response = client.post(url, follow=True)

    assert response.redirect_chain == [(project.get_absolute_url(), 302)]
    html = response.content.decode()
    assert "You joined “Household” as an editor." in html
    assert 'aria-label="Shared"' in html
    assert 'aria-label="Members: 2 people, ada, Sam Lee"' in html
    assert client.post(url).status_code == 404


def test_an_expired_invitation_is_refused_on_the_page(client, project, sam):
    invitation = invite(project, "sam")
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    client.force_login(sam)

    response = client.post(reverse("todos:invitation_accept", args=[invitation.pk]), follow=True)

    assert response.redirect_chain == [(reverse("todos:invitations"), 302)]
    assert "This invitation ran out" in response.content.decode()
    assert not Membership.objects.exists()


def test_declining_on_the_page_and_the_empty_state(client, project, sam, other_user):
    invitation = invite(project, "sam")
    url = reverse("todos:invitation_decline", args=[invitation.pk])
    client.force_login(other_user)
    assert client.post(url).status_code == 404
    client.force_login(sam)

    response = client.post(url, follow=True)

    html = response.content.decode()
    assert "Declined the invitation to “Household”." in html
    assert "No invitations are waiting for you." in html
    assert not Invitation.objects.exists()


def test_the_owner_shares_from_the_project_page_and_sees_the_members_after(
    client_logged_in, project, editor
):
    lone = ProjectFactory(owner=project.owner, name="Garden")

    lone_html = client_logged_in.get(lone.get_absolute_url()).content.decode()
    shared_html = client_logged_in.get(project.get_absolute_url()).content.decode()

    assert f'href="{members_url(lone)}">' in lone_html
    assert "Share</a>" in lone_html
    assert '<span class="avatar" title="Sam Lee">SL</span>' in shared_html
    assert 'aria-label="Share: 2 people, ada, Sam Lee"' in shared_html
    assert "Edit project" in shared_html


# Query counts


def queries(client, url) -> int:
    """Count a page's queries with nothing cached, the most it ever runs."""
    clear_caches()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("as_owner", [True, False])
def test_the_members_and_project_pages_run_as_many_queries_with_50_members(
    client, project, editor, as_owner, django_assert_max_num_queries
):
    viewer = project.owner if as_owner else editor
    client.force_login(viewer)
    invite(project, "friend@example.com")
    urls = [members_url(project), project.get_absolute_url()]
    few = [queries(client, url) for url in urls]

    for n in range(49):
        MembershipFactory(project=project, user=UserFactory(username=f"member{n}"))
        invite(project, f"friend{n}@example.com")
    client.force_login(viewer)  # the factories moved the data version: nothing cached

    many = [queries(client, url) for url in urls]
    assert many == few
    with django_assert_max_num_queries(10):
        client.get(members_url(project))


def test_the_invitations_page_runs_as_many_queries_with_50_invitations(client, sam):
    client.force_login(sam)
    invite(ProjectFactory(), "sam")
    few = queries(client, reverse("todos:invitations"))
    for _ in range(49):
        invite(ProjectFactory(), "sam")

    assert queries(client, reverse("todos:invitations")) == few


def test_the_sharing_pages_are_valid_html(second, client_logged_in, project, editor, java):
    invite(project, "friend@example.com")
    invite(ProjectFactory(name="Book club"), "ada")
    second.force_login(editor)
    documents = {
        "members, owner": client_logged_in.get(members_url(project)).content.decode(),
        "members, member": second.get(members_url(project)).content.decode(),
        "project, shared": client_logged_in.get(project.get_absolute_url()).content.decode(),
        "project, as a member": second.get(project.get_absolute_url()).content.decode(),
        "invitations": client_logged_in.get(reverse("todos:invitations")).content.decode(),
        "no invitations": second.get(reverse("todos:invitations")).content.decode(),
        "hand over": client_logged_in.get(
            reverse("todos:project_hand_over", args=[project.pk]), {"to": editor.pk}
        ).content.decode(),
        "invite refused": client_logged_in.post(
            members_url(project), {"who": "nobody", "role": "editor"}
        ).content.decode(),
    }

    assert html_errors(java, documents) == []
