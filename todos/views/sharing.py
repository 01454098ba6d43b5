"""Sharing pages: a project's members (invite, roles, remove, leave, hand over) and my invitations.

The members page is the owner's to change and its members' to read; a
stranger gets a 404. Each write redirects back (under htmx it answers with the
page's content again), and a refusal is said beside the field or as a message.
"""

from functools import cached_property

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from todos import access, sharing
from todos.models import MEMBER_ROLES, Invitation, Project, Role, Task
from todos.views.common import (
    TaskPageMixin,
    as_id,
    htmx_update,
    owned_or_404,
    owned_project,
    page_content,
    page_of,
    say,
)


class InviteForm(forms.Form):
    who = forms.CharField(
        label="Username or email address",
        max_length=254,
        help_text=(
            "Someone with an account here, by username or email address; or anyone by "
            "email address: without an account, they get an email inviting them to sign up."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    role = forms.ChoiceField(
        label="Role",
        choices=[
            (value, f"{label}: {sharing.ROLE_POWERS[value]}") for value, label in MEMBER_ROLES
        ],
        initial=Role.EDITOR,
        widget=forms.RadioSelect,
    )


def shared_project(request: HttpRequest, pk) -> Project:
    """Return a project the person owns or is a member of, the Inbox aside, or 404."""
    projects = Project.objects.for_user(request.user).filter(is_inbox=False)
    return owned_or_404(projects.select_related("owner"), pk)


def member_of(project: Project, pk):
    """Return the project's member with this id; None for anyone else (their name stays unsaid)."""
    pk = as_id(pk)
    members = get_user_model().objects.filter(memberships__project=project)
    return members.filter(pk=pk).first() if pk else None


def no_longer_a_member(request: HttpRequest, project: Project) -> HttpResponse:
    messages.info(request, f"That person is not a member of “{project.name}” (any more).")
    return back_to_members(request, project)


def back_to_members(request: HttpRequest, project: Project) -> HttpResponse:
    if request.htmx:
        return page_content(request)
    return redirect("todos:project_members", project.pk)


class ProjectMembersView(TaskPageMixin, TemplateView):
    """Who a project is shared with; its owner invites, changes roles and removes here."""

    template_name = "todos/project_members.html"

    @cached_property
    def project(self) -> Project:
        # Read here, not in dispatch: an htmx answer draws this page without dispatching it.
        return shared_project(self.request, self.kwargs["pk"])

    def dispatch(self, request, *args, **kwargs):
        self.project  # noqa: B018 (a stranger's 404 comes before anything else)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, form=None, **kwargs):
        owner = self.project.owner_id == self.request.user.pk
        people = sharing.people_in(self.project)
        context = {
            "project": self.project,
            "heading": f"Members of “{self.project.name}”",
            "people": people,
            "members": [person for person in people if not person.is_owner],
            "is_owner": owner,
            "roles": MEMBER_ROLES,
        }
        if owner:
            invitations = self.project.invitations.select_related("user").order_by("created_at")
            context |= {
                "form": form or InviteForm(),
                "invitations": list(invitations),
                "now": timezone.now(),
            }
        return super().get_context_data(**context, **kwargs)

    def post(self, request, *args, **kwargs):
        access.require_owner(request.user, self.project)
        form = InviteForm(request.POST)
        if form.is_valid():
            try:
                invitation = sharing.invite(
                    self.project,
                    by=request.user,
                    who=form.cleaned_data["who"],
                    role=form.cleaned_data["role"],
                )
            except sharing.Refused as refusal:
                form.add_error("who", str(refusal))
            else:
                name = invitation.user.name if invitation.user else invitation.email
                extra = "" if invitation.user else " They get an email inviting them to sign up."
                messages.success(request, f"Invited {name} to “{self.project.name}”.{extra}")
                return back_to_members(request, self.project)
        return self.form_invalid(form)

    def form_invalid(self, form) -> HttpResponse:
        context = self.get_context_data(form=form)
        if self.request.htmx:
            content = render_to_string(f"{self.template_name}#content", context, self.request)
            response = htmx_update(self.request, content)
            response.status_code = 422
            return response
        return self.render_to_response(context, status=422)


@require_POST
def member_role(request: HttpRequest, pk: int, user_pk: int) -> HttpResponse:
    project = owned_project(request, pk, inbox=False)
    person = member_of(project, user_pk)
    if person is None:
        return no_longer_a_member(request, project)
    role = request.POST.get("role", "")
    try:
        changed = sharing.change_role(project, by=request.user, user=person, role=role)
    except sharing.Refused as refusal:
        messages.error(request, str(refusal))
    else:
        say(
            request,
            changed,
            f"{person.name} is now {sharing.as_role(role)} of “{project.name}”.",
            f"{person.name} was {sharing.as_role(role)} already.",
        )
    return back_to_members(request, project)


@require_POST
def member_remove(request: HttpRequest, pk: int, user_pk: int) -> HttpResponse:
    project = owned_project(request, pk, inbox=False)
    person = member_of(project, user_pk)
    if person is None or not sharing.remove_member(project, by=request.user, user=person):
        return no_longer_a_member(request, project)
    messages.success(request, f"Removed {person.name} from “{project.name}”.")
    return back_to_members(request, project)


@require_POST
def project_leave(request: HttpRequest, pk: int) -> HttpResponse:
    project = shared_project(request, pk)
    try:
        sharing.leave(project, request.user)
    except sharing.Refused as refusal:
        messages.error(request, str(refusal))
        return redirect("todos:project_members", project.pk)
    messages.success(request, f"You left “{project.name}”.")
    return redirect("todos:today")


class ProjectHandOverView(TaskPageMixin, TemplateView):
    """Ask before making a member the project's owner (`?to=` names them), then do it."""

    template_name = "todos/project_hand_over.html"

    def dispatch(self, request, *args, **kwargs):
        self.project = owned_project(request, kwargs["pk"], inbox=False)
        return super().dispatch(request, *args, **kwargs)

    def new_owner(self, value):
        people = {person.pk: person for person in sharing.people_in(self.project)}
        person = people.get(as_id(value))
        return person if person is not None and not person.is_owner else None

    def get(self, request, *args, **kwargs):
        self.to = self.new_owner(request.GET.get("to"))
        if self.to is None:
            messages.info(request, "Pick the member to hand the project over to.")
            return redirect("todos:project_members", self.project.pk)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        count = Task.objects.filter(project=self.project).count()
        return super().get_context_data(
            project=self.project,
            heading=f"Hand “{self.project.name}” over",
            to=self.to,
            task_count=count,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        person = self.new_owner(request.POST.get("to"))
        if person is None:
            messages.error(request, "Only a member of the project can take it over.")
            return redirect("todos:project_members", self.project.pk)
        to = get_user_model().objects.get(pk=person.pk)
        try:
            sharing.hand_over(self.project, by=request.user, to=to)
        except sharing.Refused as refusal:
            messages.error(request, str(refusal))
            return redirect("todos:project_members", self.project.pk)
        messages.success(
            request, f"“{self.project.name}” now belongs to {to.name}; you stay on as an editor."
        )
        return redirect(self.project.get_absolute_url())


class InvitationListView(TaskPageMixin, TemplateView):
    """The invitations waiting for the person's answer, newest first."""

    heading = "Invitations"
    template_name = "todos/invitations.html"

    def get_context_data(self, **kwargs):
        waiting = sharing.waiting_for(self.request.user).select_related("project", "invited_by")
        page = page_of(self.request, waiting.order_by("-created_at", "-pk"))
        return super().get_context_data(page=page, **kwargs)


def my_invitation(request: HttpRequest, pk) -> Invitation:
    invitations = sharing.invitations_for(request.user)
    return owned_or_404(invitations.select_related("project", "invited_by"), pk)


def back_to_invitations(request: HttpRequest) -> HttpResponse:
    if request.htmx:
        return page_content(request)
    return redirect("todos:invitations")


@require_POST
def invitation_accept(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = my_invitation(request, pk)
    project = invitation.project
    try:
        joined = sharing.accept(invitation, request.user)
    except sharing.Refused as refusal:
        messages.error(request, str(refusal))
        return back_to_invitations(request)
    if joined is None:
        messages.info(request, f"“{project.name}” is yours already.")
    else:
        messages.success(
            request, f"You joined “{project.name}” as {sharing.as_role(joined.role)}."
        )
    if request.htmx:
        # A page of its own: the whole page loads, not a part swapped in.
        return HttpResponse(headers={"HX-Redirect": project.get_absolute_url()})
    return redirect(project.get_absolute_url())


@require_POST
def invitation_decline(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = my_invitation(request, pk)
    name = invitation.project.name
    declined = sharing.decline(invitation, request.user)
    say(
        request,
        declined,
        f"Declined the invitation to “{name}”.",
        "That invitation was no longer waiting.",
    )
    return back_to_invitations(request)


@require_POST
def invitation_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    invitations = Invitation.objects.filter(project__owner=request.user)
    invitation = owned_or_404(invitations.select_related("project", "user"), pk)
    name = invitation.user.name if invitation.user else invitation.email
    withdrawn = sharing.withdraw(invitation, by=request.user)
    say(
        request,
        withdrawn,
        f"Withdrew the invitation to {name}.",
        f"The invitation to {name} was no longer waiting.",
    )
    return back_to_members(request, invitation.project)
