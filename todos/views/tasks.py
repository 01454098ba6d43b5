"""Writing tasks: the full form, quick add and its preview, and every action on a task.

Each action states the result it wants (complete, reopen, restore); one sent from
a stale page changes nothing and says so. Under htmx an action answers with the
markup to swap (drawn in the sending page's list style), the messages and the
sidebar; without JavaScript it redirects back to the page it came from.
"""

from datetime import date, timedelta
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import FormView, TemplateView

from todos import access, assignment, myday, rows, services, undo
from todos.forms import AssignForm, BulkForm, MoveForm, ProjectNameForm, QuickAddForm, TaskForm
from todos.models import INBOX_NAME, Project, Tag, Task, UndoRecord
from todos.selectors import local_today, sidebar_for
from todos.views.common import (
    FormPageMixin,
    TaskPageMixin,
    after_write,
    as_id,
    back,
    editable_project,
    editable_task,
    htmx_update,
    owned_or_404,
    owned_task,
    page_content,
    page_style,
    redirect_back,
    say,
)
from todos.views.lists import UPCOMING_DAYS


def undo_tag(record: UndoRecord | None) -> str:
    """Name the message's Undo button (see todos_tags.message_actions)."""
    return f"undo:{record.pk}" if record else ""


class TaskCreateView(FormPageMixin, FormView):
    """Add a task with every field; a form sent twice adds it once."""

    form_class = TaskForm
    template_name = "todos/task_form.html"
    heading = "New task"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        projects = Project.objects.for_user(self.request.user)
        chosen = as_id(self.request.GET.get("project"))
        project = projects.filter(pk=chosen).first() if chosen else None
        return {"project": project or services.ensure_inbox(self.request.user)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(next=back(self.request, ""), **kwargs)

    def form_valid(self, form):
        if "preview" in self.request.POST:
            return self.render_to_response(self.get_context_data(form=form))
        data = form.task_fields()
        task = services.create_task(
            owner=self.request.user,
            tags=form.cleaned_data["tags"],
            idempotency_key=form.cleaned_data["key"],
            **data,
        )
        messages.success(self.request, f"Added “{task.title}”.")
        return redirect_back(self.request, task.get_absolute_url())


class TaskUpdateView(FormPageMixin, FormView):
    """Edit every field of a task; an edit from a stale page is refused, the typed text kept."""

    form_class = TaskForm
    template_name = "todos/task_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.task = editable_task(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "instance": self.task}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            task=self.task,
            heading=f"Edit “{self.task.title}”",
            next=back(self.request, ""),
            **kwargs,
        )

    def form_valid(self, form):
        if "preview" in self.request.POST:
            return self.render_to_response(self.get_context_data(form=form))
        data = form.task_fields()
        try:
            services.update_task(
                self.task,
                expected_version=form.cleaned_data["version"] or 0,
                tags=form.cleaned_data["tags"],
                by=self.request.user,
                **data,
            )
        except services.StaleEditError:
            return self.refuse_stale(form, self.task)
        messages.success(self.request, f"Saved “{self.task.title}”.")
        return redirect_back(self.request, self.task.get_absolute_url())


def list_for_new_task(task: Task, *, view: str, project, parent, tag, today) -> str | None:
    """Return the selector of the list on the sender's page the new task belongs in, if any."""
    if parent is not None or tag is not None or view == "my_day":
        return "#task-list"
    if project is not None:
        return "#task-list" if task.project_id == project.pk else None
    if task.due_date is None:
        return None
    if view == "today" and task.due_date == today:
        return "#task-list"
    if view == "upcoming" and today <= task.due_date < today + timedelta(days=UPCOMING_DAYS):
        return f"#tasks-{task.due_date:%Y%m%d}"
    return None


def default_due(view: str, day: str, today: date) -> date | None:
    """Return the day a task added on this page is due when its line names none.

    Today gives today; Upcoming the day whose box it was typed in (or today).
    """
    if view == "today":
        return today
    if view != "upcoming":
        return None
    try:
        chosen = date.fromisoformat(day)
    except ValueError:
        return today
    return chosen if today <= chosen < today + timedelta(days=UPCOMING_DAYS) else today


def quick_add_context(request: HttpRequest, source) -> dict:
    """Read the page a quick-add line comes from (hidden fields of its form, or the query)."""
    parent = editable_task(request, source["parent"]) if source.get("parent") else None
    project = editable_project(request, source["project"]) if source.get("project") else None
    tag = (
        owned_or_404(Tag.objects.for_user(request.user), source["tag"])
        if source.get("tag")
        else None
    )
    view = source.get("view", "")
    day = source.get("day", "")
    return {
        "quick_add_project": project,
        "quick_add_parent": parent,
        "quick_add_tag": tag,
        "quick_add_view": view,
        "quick_add_day": day,
        "default_due": default_due(view, day, local_today()),
    }


def offer_tags(outcome) -> str:
    """Name the "create this project" buttons for the #words a line did not know."""
    if outcome.task is None:
        return ""
    return " ".join(
        f"newproject:{outcome.task.pk}:{quote(name, safe='')}"
        for name in outcome.parsed.unknown_projects
    )


@require_POST
def quick_add(request: HttpRequest) -> HttpResponse:
    form = QuickAddForm(request.POST)
    context = quick_add_context(request, request.POST)
    outcome = None
    if form.is_valid():
        outcome = services.quick_add(
            user=request.user,
            text=form.cleaned_data["text"],
            now=timezone.now(),
            project=context["quick_add_project"],
            parent=context["quick_add_parent"],
            tags=[context["quick_add_tag"]] if context["quick_add_tag"] else (),
            default_due=context["default_due"],
            idempotency_key=form.cleaned_data["key"],
        )
        for error in outcome.errors:
            form.add_error("text", error)
        planned = outcome.parsed.my_day or context["quick_add_view"] == "my_day"
        if outcome.task is not None and planned:
            myday.add(request.user, outcome.task, day=local_today())
    if not form.is_valid():
        template = "todos/parts.html#quick-add" if request.htmx else "todos/quick_add.html"
        return render(
            request,
            template,
            {**context, "quick_add_form": form, "next": back(request, "")},
            status=422,
        )
    task = outcome.task
    added = f"Added “{task.title}” to {task.project.name}" + (
        " and My Day." if outcome.parsed.my_day or context["quick_add_view"] == "my_day" else "."
    )
    if not request.htmx:
        messages.success(request, added)
        for notice in outcome.notices:
            messages.warning(request, notice, extra_tags=offer_tags(outcome))
        return redirect_back(request, task.project.get_absolute_url())
    after_write(request)
    row = Task.objects.for_user(request.user).as_rows().get(pk=task.pk)
    rows.complete([row], viewer=request.user)
    return render(
        request,
        "todos/parts.html#quick-add",
        {
            **context,
            "quick_add_form": QuickAddForm(),
            "added": row,
            "added_html": rows.render(
                [row],
                page_style(request),
                today=local_today(),
                planned=sidebar_for(request).my_day_ids,
                team=assignment.team_of(request),
            ),
            "added_to": list_for_new_task(
                task,
                view=context["quick_add_view"],
                project=context["quick_add_project"],
                parent=context["quick_add_parent"],
                tag=context["quick_add_tag"],
                today=local_today(),
            ),
            "notices": outcome.notices,
            "offers": outcome.parsed.unknown_projects,
            "after_write": True,
        },
    )


def destination(parsed, context) -> str:
    """Name the project a line will land in: a sub-task's parent's, its #project, the page's, or the Inbox."""
    if parent := context["quick_add_parent"]:
        return parent.project.name
    if parsed.project:
        return parsed.project
    if project := context["quick_add_project"]:
        return project.name
    return INBOX_NAME


@require_safe
def quick_add_preview(request: HttpRequest) -> HttpResponse:
    """Show what a line of quick add will set, read by the same parser, as it is typed."""
    text = request.GET.get("text", "")[: QuickAddForm.base_fields["text"].max_length]
    context = quick_add_context(request, request.GET)
    sidebar = sidebar_for(request)
    parsed = services.read_quick_add(
        user=request.user,
        text=text,
        now=timezone.now(),
        projects=[project.name for project in sidebar.active_projects],
    )
    assignee, assignee_error = None, None
    if parsed.assignee:
        assignee, assignee_error = services.quick_add_assignee(
            request.user,
            parsed,
            project=context["quick_add_project"],
            parent=context["quick_add_parent"],
        )
    known_tags = {tag.name.lower() for tag in sidebar.tags}
    due_date = parsed.due_date or (None if context["quick_add_parent"] else context["default_due"])
    template = (
        "todos/parts.html#quick-add-preview" if request.htmx else "todos/quick_add_preview.html"
    )
    return render(
        request,
        template,
        {
            **context,
            "text": text,
            "parsed": parsed,
            "project_name": destination(parsed, context),
            "due_date": due_date,
            "new_tags": [tag for tag in parsed.tags if tag.lower() not in known_tags],
            "assignee": assignee,
            "assignee_error": assignee_error,
        },
    )


@require_POST
def task_new_project(request: HttpRequest, pk: int) -> HttpResponse:
    """Create the project a line named with an unknown #word, and file the task there."""
    task = editable_task(request, pk)
    form = ProjectNameForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["name"]))
        return redirect_back(request, task.get_absolute_url())
    name = form.cleaned_data["name"]
    project = services.file_in_new_project(task, name, user=request.user)
    messages.success(request, f"Moved “{task.title}” to the new project {project.name}.")
    return redirect(project.get_absolute_url())


@require_POST
def task_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    """Complete a task (or reopen it with completed=0), as the button pressed said."""
    task = editable_task(request, pk, trashed=True)
    if task.is_deleted:
        messages.warning(request, f"“{task.title}” is in the trash; restore it first.")
        return (
            htmx_update(request)
            if request.htmx
            else redirect_back(request, reverse("todos:trash"))
        )
    completed = request.POST.get("completed", "1") != "0"
    # A repeating task's button names the occurrence it completes: pressed again
    # from a stale page, it must not complete the next one as well.
    occurrence = request.POST.get("occurrence") or request.GET.get("occurrence")
    was_due = task.due_date
    if completed and task.recurrence and occurrence and occurrence != str(was_due):
        outcome = services.Outcome(0, 1)
    else:
        outcome = services.set_completed(task, completed, now=timezone.now(), by=request.user)
    if completed and task.recurrence and task.completed_at is None:
        done = (
            f"Completed “{task.title}” for {was_due:%a %-d %b}; next on {task.due_date:%a %-d %b}."
        )
        already = f"That occurrence of “{task.title}” was already completed."
    elif completed:
        done, already = f"Completed “{task.title}”.", f"“{task.title}” was already completed."
    else:
        done, already = f"Reopened “{task.title}”.", f"“{task.title}” was already open."
    say(request, outcome.changed, done, already, extra_tags=undo_tag(outcome.undo))
    if request.htmx:
        return row_update(request, task)
    return redirect_back(request, task.get_absolute_url())


def row_update(request: HttpRequest, task: Task) -> HttpResponse:
    """Answer an htmx action on one row: the row as the sender's list draws it, read afresh."""
    row = Task.objects.for_user(request.user).as_rows().get(pk=task.pk)
    rows.complete([row], viewer=request.user)
    html = rows.render(
        [row],
        page_style(request),
        today=local_today(),
        planned=sidebar_for(request).my_day_ids,
        team=assignment.team_of(request),
    )
    return htmx_update(request, html)


@require_POST
def task_my_day(request: HttpRequest, pk: int) -> HttpResponse:
    """Put a task on today's plan (state=on) or take it off (state=off), as the button said."""
    task = owned_task(request, pk)
    today = local_today()
    adding = request.POST.get("state") != "off"
    if adding:
        changed = myday.add(request.user, task, day=today)
        done, already = f"Added “{task.title}” to My Day.", f"“{task.title}” is already in My Day."
    else:
        changed = myday.remove(request.user, task, day=today)
        done, already = (
            f"Removed “{task.title}” from My Day.",
            f"“{task.title}” was not in My Day.",
        )
    say(request, changed, done, already)
    if not request.htmx:
        return redirect_back(request, task.get_absolute_url())
    style = page_style(request)
    if style.plan:
        # On My Day itself the list and its suggestions change, not only the row.
        return page_content(request)
    row = Task.objects.for_user(request.user).as_rows().get(pk=task.pk)
    rows.complete([row], viewer=request.user)
    planned = frozenset([task.pk] if adding else [])
    html = rows.render(
        [row], style, today=today, planned=planned, team=assignment.team_of(request)
    )
    return htmx_update(request, html)


@require_POST
def task_delete(request: HttpRequest, pk: int) -> HttpResponse:
    task = editable_task(request, pk, trashed=True)
    outcome = services.trash(task, now=timezone.now())
    say(
        request,
        outcome.changed,
        f"Moved “{task.title}” to the trash.",
        f"“{task.title}” was already in the trash.",
        extra_tags=undo_tag(outcome.undo),
    )
    if request.htmx:
        return htmx_update(request)
    default = task.parent.get_absolute_url() if task.parent_id else task.project.get_absolute_url()
    target = back(request, default)
    if target == task.get_absolute_url():
        target = default
    return redirect(target)


@require_POST
def task_restore(request: HttpRequest, pk: int) -> HttpResponse:
    task = editable_task(request, pk, trashed=True)
    restored = services.restore(task)
    say(request, restored, f"Restored “{task.title}”.", f"“{task.title}” was already restored.")
    if request.htmx:
        return page_content(request)
    return redirect_back(request, task.get_absolute_url())


@require_POST
def undo_change(request: HttpRequest, pk: int) -> HttpResponse:
    """Take back a change once; tasks changed since keep their newer state."""
    record = owned_or_404(UndoRecord.objects.filter(owner=request.user), pk)
    if record.undone_at is not None:
        messages.info(request, "That was undone already.")
    else:
        result = undo.undo(record)
        text = f"Undone. {record.label}"
        if result.skipped == 1:
            text += " 1 task changed since and was left as it is."
        elif result.skipped:
            text += f" {result.skipped} tasks changed since and were left as they are."
        messages.success(request, text)
    if request.htmx:
        return page_content(request)
    return redirect_back(request, reverse("todos:today"))


class TaskPurgeView(TaskPageMixin, TemplateView):
    """Ask before deleting a task from the trash for good; nothing brings it back."""

    template_name = "todos/task_confirm_purge.html"

    def dispatch(self, request, *args, **kwargs):
        self.task = editable_task(request, kwargs["pk"], trashed=True)
        if not self.task.is_deleted:
            raise Http404("Only a task in the trash can be deleted for good.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            task=self.task, next=back(self.request, reverse("todos:trash")), **kwargs
        )

    def post(self, request, *args, **kwargs):
        services.purge(self.task)
        messages.success(request, f"Deleted “{self.task.title}” for good.")
        return redirect_back(request, reverse("todos:trash"))


@require_POST
def task_move(request: HttpRequest, pk: int) -> HttpResponse:
    task = editable_task(request, pk)
    form = MoveForm(request.POST, user=request.user)
    if form.is_valid():
        project = form.cleaned_data["project"]
        moved = services.move_to_project(task, project)
        say(
            request,
            moved,
            f"Moved “{task.title}” to {project.name}.",
            f"“{task.title}” is already in {project.name}.",
        )
    else:
        messages.error(request, "Pick a project you can add tasks to.")
    return redirect_back(request, task.get_absolute_url())


@require_POST
def task_move_step(request: HttpRequest, pk: int, step: int) -> HttpResponse:
    task = editable_task(request, pk)
    services.move_step(task, step)
    if request.htmx:
        return page_content(request)
    return redirect(back(request, task.project.get_absolute_url()) + f"#task-{task.pk}")


@require_POST
def project_reorder(request: HttpRequest, pk: int) -> HttpResponse:
    project = editable_project(request, pk)
    ids = [pk for pk in map(as_id, request.POST.getlist("order")) if pk is not None]
    services.reorder(project, ids)
    if request.htmx:
        return HttpResponse(status=204)
    return redirect(project.get_absolute_url())


@require_POST
def task_bulk(request: HttpRequest) -> HttpResponse:
    form = BulkForm(request.POST, user=request.user)
    target = back(request, reverse("todos:inbox"))
    if not form.is_valid():
        if "tasks" in form.errors:
            messages.error(request, "Select at least one task first.")
        else:
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        if request.htmx:
            return page_content(request)
        return redirect(target)
    if not access.all_editable(request.user, form.cleaned_data["tasks"]):
        raise PermissionDenied(access.VIEWER_REFUSAL)
    action = form.cleaned_data["action"]
    outcome = services.bulk(
        request.user,
        form.cleaned_data["tasks"],
        action=action,
        project=form.cleaned_data["project"],
        now=timezone.now(),
    )
    text = f"{services.BULK_LABELS[action]}: {outcome.changed} task{'' if outcome.changed == 1 else 's'}."
    if outcome.skipped:
        text += f" {outcome.skipped} already {form.ALREADY[action]} were left as they are."
    messages.success(request, text, extra_tags=undo_tag(outcome.undo))
    if request.htmx:
        return page_content(request)
    return redirect(target)


class TaskAssignView(FormPageMixin, FormView):
    """Give a task to a member of its project, or to nobody.

    The rows' menus post here, each button with its choice and the version it was
    drawn at (in the query, as the rows carry no form of their own); this page offers
    every member, for projects with more than a menu lists.
    """

    form_class = AssignForm
    template_name = "todos/task_assign.html"

    def dispatch(self, request, *args, **kwargs):
        self.task = editable_task(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = {**super().get_form_kwargs(), "task": self.task}
        if "data" in kwargs and "version" not in kwargs["data"]:
            kwargs["data"] = kwargs["data"].copy()
            kwargs["data"]["version"] = self.request.GET.get("version", "")
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            task=self.task,
            heading=f"Assign “{self.task.title}”",
            next=back(self.request, ""),
            **kwargs,
        )

    def form_invalid(self, form, status=422):
        if not self.request.htmx:
            return super().form_invalid(form, status=status)
        messages.error(
            self.request, " ".join(e for errors in form.errors.values() for e in errors)
        )
        return row_update(self.request, self.task)

    def form_valid(self, form):
        task, user = self.task, self.request.user
        assignee = form.cleaned_data["assignee"]
        try:
            changed = assignment.assign(
                task, assignee, by=user, expected_version=form.cleaned_data["version"]
            )
        except services.StaleEditError:
            messages.warning(self.request, assignment.stale_message(task, user))
        except assignment.NotAMember as refused:
            # Removed from the project since the form was drawn.
            messages.error(self.request, str(refused))
        else:
            if assignee is None:
                done, already = f"Unassigned “{task.title}”.", f"“{task.title}” was not assigned."
            else:
                name = "you" if assignee.pk == user.pk else assignee.name
                done = f"Assigned “{task.title}” to {name}."
                already = f"“{task.title}” is already assigned to {name}."
            say(self.request, changed, done, already)
        if self.request.htmx:
            return row_update(self.request, task)
        return redirect_back(self.request, task.get_absolute_url())
