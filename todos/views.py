from datetime import timedelta
from functools import cached_property
from itertools import groupby

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from todos import rows, services
from todos.forms import BulkForm, MoveForm, ProjectForm, QuickAddForm, SearchForm, TaskForm
from todos.models import Project, Tag, Task
from todos.pagination import CountedPage, ListPage
from todos.selectors import local_today, search_tasks, sidebar

PAGE_SIZE = 50
COMPLETED_PREVIEW = 20
UPCOMING_DAYS = 14


def back(request: HttpRequest, default: str) -> str:
    """Return the local page the request came from (a `next` field), or `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


# The largest id a database integer column holds; anything larger cannot exist.
MAX_ID = 2**63 - 1


def as_id(value) -> int | None:
    """Return a posted value as an object id, or None when it cannot be one."""
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return None
    return pk if 0 < pk <= MAX_ID else None


def owned_or_404(queryset, value):
    """Return the object with the posted id from an already-scoped queryset, or 404."""
    pk = as_id(value)
    if pk is None:
        raise Http404("No such object.")
    return get_object_or_404(queryset, pk=pk)


def owned_task(request: HttpRequest, pk) -> Task:
    return owned_or_404(Task.objects.for_user(request.user), pk)


def page_of(request: HttpRequest, queryset, size: int = PAGE_SIZE) -> ListPage:
    return ListPage(queryset, size, as_id(request.GET.get("page")) or 1)


def counted_page_of(request: HttpRequest, queryset, size: int = PAGE_SIZE) -> CountedPage:
    """Return a page of a list that says how long the list is (to 1,000 rows)."""
    return CountedPage(queryset, size, as_id(request.GET.get("page")) or 1)


def open_and_completed(request: HttpRequest, tasks, open_tasks) -> dict:
    """Return a page of a list's open tasks and its recently completed ones, collapsed below.

    One more completed task than the preview shows tells whether there are more; both
    lists' tags and sub-tasks come in one query each.
    """
    page = page_of(request, open_tasks.as_rows(bare=True))
    completed = list(tasks.recently_completed().as_rows(bare=True)[: COMPLETED_PREVIEW + 1])
    rows.complete([*page, *completed])
    return {
        "page": page,
        "completed": completed[:COMPLETED_PREVIEW],
        "completed_more": len(completed) > COMPLETED_PREVIEW,
    }


class TaskPageMixin(LoginRequiredMixin):
    """Everything a page with tasks shares: the sidebar and the quick-add box."""

    template_name = "todos/task_list.html"
    heading = ""
    empty_message = ""
    reorderable = False
    show_project = True
    # Tells quick add which page sent it, so a new task is shown only where it belongs.
    quick_add_view = ""

    def quick_add_project(self) -> Project | None:
        return None

    @cached_property
    def sidebar(self) -> dict:
        return sidebar(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.sidebar)
        context.setdefault("heading", self.heading)
        context.update(
            empty_message=self.empty_message,
            reorderable=self.reorderable,
            show_project=self.show_project,
            quick_add_form=QuickAddForm(),
            quick_add_project=self.quick_add_project(),
            quick_add_view=self.quick_add_view,
            move_targets=context["sidebar_projects"],
            # Selection checkboxes only where the page lists tasks to act on.
            bulk=bool(context.get("page") and context["page"].object_list),
            today=local_today(),
        )
        return context


class TodayView(TaskPageMixin, TemplateView):
    heading = "Today"
    quick_add_view = "today"
    empty_message = "Nothing due today. Enjoy the calm, or add a task with a date below."

    def get_context_data(self, **kwargs):
        today = local_today()
        tasks = page_of(
            self.request, Task.objects.for_user(self.request.user).due_by(today).as_rows()
        )
        return super().get_context_data(
            page=tasks,
            tasks=tasks,
            sections=[
                ("Overdue", [t for t in tasks if t.due_date < today]),
                (today.strftime("Today, %A %-d %B"), [t for t in tasks if t.due_date == today]),
            ],
            **kwargs,
        )


class UpcomingView(TaskPageMixin, TemplateView):
    heading = "Upcoming"
    empty_message = "Nothing planned for the next 14 days."
    quick_add_view = "upcoming"
    template_name = "todos/upcoming.html"

    def get_context_data(self, **kwargs):
        today = local_today()
        last = today + timedelta(days=UPCOMING_DAYS - 1)
        tasks = page_of(
            self.request,
            Task.objects.for_user(self.request.user).due_between(today, last).as_rows(),
            size=100,
        )
        by_day = {day: list(group) for day, group in groupby(tasks, key=lambda t: t.due_date)}
        days = [today + timedelta(days=n) for n in range(UPCOMING_DAYS)]
        return super().get_context_data(
            page=tasks, days=[(day, by_day.get(day, [])) for day in days], **kwargs
        )


class ProjectTasksView(TaskPageMixin, TemplateView):
    """Open tasks of a project in manual order, recently completed ones collapsed below."""

    reorderable = True
    show_project = False

    def get_project(self) -> Project:
        return get_object_or_404(Project.objects.for_user(self.request.user), pk=self.kwargs["pk"])

    def quick_add_project(self) -> Project:
        return self.project

    def get_context_data(self, **kwargs):
        self.project = self.get_project()
        tasks = Task.objects.for_user(self.request.user).filter(project=self.project).top_level()
        return super().get_context_data(
            project=self.project,
            heading=self.project.name,
            **open_and_completed(self.request, tasks, tasks.open().in_manual_order()),
            **kwargs,
        )


class InboxView(ProjectTasksView):
    empty_message = (
        "Your Inbox is empty. Type a task below; it lands here unless you name a #project."
    )

    def get_project(self) -> Project:
        return services.ensure_inbox(self.request.user)


class ProjectDetailView(ProjectTasksView):
    empty_message = "No open tasks in this project. Add one below."


class TagDetailView(TaskPageMixin, TemplateView):
    empty_message = "No open tasks with this tag."

    def get_context_data(self, **kwargs):
        tag = get_object_or_404(Tag.objects.for_user(self.request.user), pk=self.kwargs["pk"])
        # Start from the tag's own links: joining them to every one of the person's tasks
        # was the slowest plan SQLite could pick (25 ms at 100,000 tasks, 7 ms this way).
        tagged = Task.tags.through.objects.filter(tag=tag).values("task_id")
        tasks = Task.objects.for_user(self.request.user).filter(pk__in=tagged)
        return super().get_context_data(
            tag=tag,
            quick_add_tag=tag,
            heading=f"@{tag.name}",
            **open_and_completed(
                self.request,
                tasks,
                tasks.open().order_by("project__position", "project", "position"),
            ),
            **kwargs,
        )


class CompletedView(TaskPageMixin, TemplateView):
    heading = "Completed"
    empty_message = "No completed tasks yet. Tick one off and it shows up here."

    def get_context_data(self, **kwargs):
        tasks = Task.objects.for_user(self.request.user).recently_completed().as_rows()
        return super().get_context_data(page=page_of(self.request, tasks), **kwargs)


class SearchView(TaskPageMixin, TemplateView):
    heading = "Search"
    template_name = "todos/search.html"

    def get_context_data(self, **kwargs):
        form = SearchForm(
            self.request.GET or None,
            user=self.request.user,
            projects=self.sidebar["projects"],
            tags=self.sidebar["sidebar_tags"],
        )
        page = None
        if form.is_valid() and any(form.cleaned_data.values()):
            filters = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
            page = counted_page_of(
                self.request, search_tasks(self.request.user, **filters).as_rows()
            )
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(form=form, page=page, query=query.urlencode(), **kwargs)


class TrashView(TaskPageMixin, TemplateView):
    heading = "Trash"
    template_name = "todos/trash.html"

    def get_context_data(self, **kwargs):
        tasks = (
            Task.objects.trash_for(self.request.user)
            .select_related("project")
            .order_by("-deleted_at")
        )
        return super().get_context_data(page=page_of(self.request, tasks), **kwargs)


class TaskDetailView(TaskPageMixin, TemplateView):
    template_name = "todos/task_detail.html"

    def get_context_data(self, **kwargs):
        tasks = Task.objects.for_user(self.request.user)
        task = get_object_or_404(tasks.select_related("project"), pk=self.kwargs["pk"])
        # Sub-tasks go one level deep: a sub-task's page shows its parent, a task its sub-tasks.
        subtasks, parent_title = [], None
        if task.parent_id is None:
            subtasks = rows.subtasks_of(task, tasks)
        else:
            parent_title = tasks.filter(pk=task.parent_id).values_list("title", flat=True).first()
        tags = rows.complete(subtasks, tags_for=[task.pk])
        return super().get_context_data(
            task=task,
            task_tags=tags[task.pk],
            parent_title=parent_title,
            heading=task.title,
            subtasks=subtasks,
            **kwargs,
        )

    def quick_add_project(self):
        return None


class TaskFormView(TaskPageMixin, View):
    """Create or edit a task with every field."""

    template_name = "todos/task_form.html"

    def get_task(self) -> Task | None:
        return owned_task(self.request, self.kwargs["pk"]) if "pk" in self.kwargs else None

    def render_form(self, form, task, status=200):
        context = {
            **sidebar(self.request.user),
            "form": form,
            "task": task,
            "heading": f"Edit “{task.title}”" if task else "New task",
            "next": back(self.request, ""),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk=None):
        task = self.get_task()
        initial = {}
        if task is None:
            projects = Project.objects.for_user(request.user)
            initial["project"] = projects.filter(
                pk=request.GET.get("project") or 0
            ).first() or services.ensure_inbox(request.user)
        return self.render_form(TaskForm(instance=task, initial=initial, user=request.user), task)

    def post(self, request, pk=None):
        task = self.get_task()
        form = TaskForm(request.POST, instance=task, user=request.user)
        if not form.is_valid():
            return self.render_form(form, task, status=422)
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("tags", "version")}
        if task is None:
            task = services.create_task(owner=request.user, tags=form.cleaned_data["tags"], **data)
            messages.success(request, f"Added “{task.title}”.")
        else:
            try:
                services.update_task(
                    task,
                    expected_version=form.cleaned_data["version"] or 0,
                    tags=form.cleaned_data["tags"],
                    **data,
                )
            except services.StaleEditError:
                task.refresh_from_db()
                form.add_error(
                    None,
                    "This task was changed elsewhere after you opened it. "
                    "Its current values are shown below the form; your edits are kept in the form. "
                    "Save again to replace them.",
                )
                form.data = form.data.copy()
                form.data["version"] = task.version
                response = self.render_form(form, task, status=409)
                return response
            messages.success(request, f"Saved “{task.title}”.")
        return redirect(back(request, task.get_absolute_url()))


def render_rows(request, tasks, **context) -> HttpResponse:
    return HttpResponse(
        render_to_string("todos/_task_rows.html", {"tasks": tasks, **context}, request)
    )


def list_for_new_task(task: Task, *, view: str, project, parent, tag, today) -> str | None:
    """Return the selector of the list on the sender's page the new task belongs in, if any."""
    if parent is not None or tag is not None:
        return "#task-list"
    if project is not None:
        return "#task-list" if task.project_id == project.pk else None
    if task.due_date is None:
        return None
    if view == "today" and task.due_date <= today:
        return "#task-list"
    if view == "upcoming" and today <= task.due_date < today + timedelta(days=UPCOMING_DAYS):
        return f"#tasks-{task.due_date:%Y%m%d}"
    return None


@require_POST
def quick_add(request: HttpRequest) -> HttpResponse:
    form = QuickAddForm(request.POST)
    post = request.POST
    parent = owned_task(request, post["parent"]) if post.get("parent") else None
    project = (
        owned_or_404(Project.objects.for_user(request.user), post["project"])
        if post.get("project")
        else None
    )
    tag = (
        owned_or_404(Tag.objects.for_user(request.user), post["tag"]) if post.get("tag") else None
    )
    view = post.get("view", "")
    if form.is_valid():
        outcome = services.quick_add(
            user=request.user,
            text=form.cleaned_data["text"],
            now=timezone.now(),
            project=project,
            parent=parent,
            tags=[tag] if tag else (),
        )
        for error in outcome.errors:
            form.add_error("text", error)
    context = {
        "quick_add_form": form,
        "quick_add_project": project,
        "quick_add_parent": parent,
        "quick_add_tag": tag,
        "quick_add_view": view,
    }
    if not form.is_valid():
        template = "todos/_quick_add.html" if request.htmx else "todos/quick_add.html"
        return render(
            request,
            template,
            {**context, **sidebar(request.user), "next": back(request, "")},
            status=422,
        )
    task = outcome.task
    if request.htmx:
        context["quick_add_form"] = QuickAddForm()
        context["added"] = Task.objects.for_user(request.user).as_rows().get(pk=task.pk)
        context["added_to"] = list_for_new_task(
            task, view=view, project=project, parent=parent, tag=tag, today=local_today()
        )
        return render(request, "todos/_quick_add.html", context)
    messages.success(request, f"Added “{task.title}”.")
    return redirect(back(request, task.project.get_absolute_url()))


@require_POST
def task_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    task = services.toggle(owned_task(request, pk), now=timezone.now())
    if request.htmx:
        return render_rows(
            request,
            [Task.objects.for_user(request.user).as_rows().get(pk=task.pk)],
            today=local_today(),
        )
    verb = "Completed" if task.is_completed else "Reopened"
    messages.success(request, f"{verb} “{task.title}”.")
    return redirect(back(request, task.get_absolute_url()))


@require_POST
def task_delete(request: HttpRequest, pk: int) -> HttpResponse:
    task = owned_task(request, pk)
    services.trash(task, now=timezone.now())
    messages.success(request, f"Moved “{task.title}” to the trash.", extra_tags=f"undo-{task.pk}")
    if request.htmx:
        return render(request, "todos/_deleted.html")
    default = task.parent.get_absolute_url() if task.parent_id else task.project.get_absolute_url()
    target = back(request, default)
    if target == task.get_absolute_url():
        target = default
    return redirect(target)


@require_POST
def task_restore(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_object_or_404(Task.objects.trash_for(request.user), pk=pk)
    services.restore(task)
    messages.success(request, f"Restored “{task.title}”.")
    return redirect(back(request, task.get_absolute_url()))


class TaskPurgeView(LoginRequiredMixin, View):
    """Ask before deleting a task from the trash for good; nothing brings it back."""

    template_name = "todos/task_confirm_purge.html"

    def get_task(self) -> Task:
        return owned_or_404(Task.objects.trash_for(self.request.user), self.kwargs["pk"])

    def get(self, request, pk):
        task = self.get_task()
        return render(
            request,
            self.template_name,
            {**sidebar(request.user), "task": task, "next": back(request, reverse("todos:trash"))},
        )

    def post(self, request, pk):
        task = self.get_task()
        task.delete()
        messages.success(request, f"Deleted “{task.title}” for good.")
        return redirect(back(request, reverse("todos:trash")))


@require_POST
def task_move(request: HttpRequest, pk: int) -> HttpResponse:
    task = owned_task(request, pk)
    form = MoveForm(request.POST, user=request.user)
    if form.is_valid():
        services.move_to_project(task, form.cleaned_data["project"])
        messages.success(request, f"Moved “{task.title}” to {form.cleaned_data['project'].name}.")
    else:
        messages.error(request, "Pick one of your projects to move the task to.")
    return redirect(back(request, task.get_absolute_url()))


@require_POST
def task_move_step(request: HttpRequest, pk: int, step: int) -> HttpResponse:
    task = owned_task(request, pk)
    services.move_step(task, step)
    return redirect(back(request, task.project.get_absolute_url()) + f"#task-{task.pk}")


@require_POST
def project_reorder(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(Project.objects.for_user(request.user), pk=pk)
    ids = [pk for pk in map(as_id, request.POST.getlist("order")) if pk is not None]
    services.reorder(project, ids)
    if request.htmx:
        return HttpResponse(status=204)
    return redirect(project.get_absolute_url())


BULK_DONE = {"complete": "Completed", "move": "Moved", "delete": "Moved to the trash"}


@require_POST
def task_bulk(request: HttpRequest) -> HttpResponse:
    form = BulkForm(request.POST, user=request.user)
    target = back(request, reverse("todos:inbox"))
    if not form.is_valid():
        if "tasks" in form.errors:
            messages.error(request, "Select at least one task first.")
        else:
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(target)
    action = form.cleaned_data["action"]
    count = services.bulk(
        form.cleaned_data["tasks"],
        action=action,
        project=form.cleaned_data["project"],
        now=timezone.now(),
    )
    messages.success(request, f"{BULK_DONE[action]}: {count} task{'' if count == 1 else 's'}.")
    return redirect(target)


class ProjectListView(TaskPageMixin, TemplateView):
    heading = "Projects"
    template_name = "todos/project_list.html"

    def get_context_data(self, **kwargs):
        projects = Project.objects.for_user(self.request.user).with_open_counts()
        return super().get_context_data(
            active=[p for p in projects if not p.is_archived],
            archived=[p for p in projects if p.is_archived],
            **kwargs,
        )


class ProjectFormView(TaskPageMixin, View):
    """Create a project, or rename and recolour one (never the Inbox)."""

    template_name = "todos/project_form.html"

    def get_project(self) -> Project | None:
        if "pk" not in self.kwargs:
            return None
        editable = Project.objects.for_user(self.request.user).filter(is_inbox=False)
        return get_object_or_404(editable, pk=self.kwargs["pk"])

    def render_form(self, form, project, status=200):
        context = {
            **sidebar(self.request.user),
            "form": form,
            "project": project,
            "heading": f"Edit “{project.name}”" if project else "New project",
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk=None):
        project = self.get_project()
        return self.render_form(ProjectForm(instance=project, user=request.user), project)

    def post(self, request, pk=None):
        project = self.get_project()
        form = ProjectForm(request.POST, instance=project, user=request.user)
        if not form.is_valid():
            return self.render_form(form, project, status=422)
        project = form.save(commit=False)
        if project.pk is None:
            project.owner = request.user
            project.position = Project.objects.for_user(request.user).count()
        project.save()
        messages.success(request, f"Saved project “{project.name}”.")
        return redirect(project.get_absolute_url())


@require_POST
def project_archive(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(
        Project.objects.for_user(request.user).filter(is_inbox=False), pk=pk
    )
    project.is_archived = not project.is_archived
    project.save(update_fields=["is_archived", "updated_at"])
    state = "Archived" if project.is_archived else "Restored"
    messages.success(request, f"{state} project “{project.name}”.")
    return redirect(
        reverse("todos:project_list") if project.is_archived else project.get_absolute_url()
    )


class ProjectDeleteView(LoginRequiredMixin, View):
    template_name = "todos/project_confirm_delete.html"

    def get_project(self) -> Project:
        deletable = Project.objects.for_user(self.request.user).filter(is_inbox=False)
        return get_object_or_404(deletable, pk=self.kwargs["pk"])

    def get(self, request, pk):
        project = self.get_project()
        count = Task.objects.for_user(request.user).filter(project=project).count()
        return render(
            request,
            self.template_name,
            {**sidebar(request.user), "project": project, "task_count": count},
        )

    def post(self, request, pk):
        project = self.get_project()
        count = services.delete_project(project, now=timezone.now())
        messages.success(
            request,
            f"Deleted project “{project.name}”; its {count} task{'' if count == 1 else 's'} "
            "went to the trash, from where they can be restored into the Inbox.",
        )
        return redirect("todos:today")
