"""The pages that list tasks: My Day, Today, Upcoming, Inbox, projects, tags, Completed, search, trash."""

from datetime import date, timedelta
from functools import partial
from itertools import groupby

from django.db.models import F
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from reminders.forms import ReminderForm
from todos import assignment, comments, myday, recurrence, rows, services
from todos.forms import CommentForm, SearchForm
from todos.models import Completion, Project, Tag, Task
from todos.pagination import page_number
from todos.querysets import BY_DAY, WITHOUT_TIME
from todos.search import SearchPage
from todos.selectors import local_today, search_tasks
from todos.views.activity import task_history
from todos.views.common import TaskPageMixin, page_of

COMPLETED_PREVIEW = 20
# Done occurrences of repeating tasks shown on the Completed page.
OCCURRENCES = 30
OVERDUE_PAGE_SIZE = 10
UPCOMING_DAYS = 14


def open_and_completed(request, tasks, open_tasks) -> dict:
    """Return a page of a list's open tasks and its recently completed ones, collapsed below.

    One more completed task than the preview shows tells whether there are more; both
    lists' tags and sub-tasks come in one query each.
    """
    page = page_of(request, open_tasks.as_rows())
    completed = list(tasks.recently_completed().as_rows()[: COMPLETED_PREVIEW + 1])
    rows.complete([*page, *completed], viewer=request.user)
    return {
        "page": page,
        "completed": completed[:COMPLETED_PREVIEW],
        "completed_more": len(completed) > COMPLETED_PREVIEW,
    }


class MyDayView(TaskPageMixin, TemplateView):
    """Today's plan, open tasks first and those done collapsed below, with tasks to suggest."""

    heading = "My Day"
    quick_add_view = "my_day"
    template_name = "todos/my_day.html"

    def get_context_data(self, **kwargs):
        today = local_today()
        plan = myday.planned(self.request.user, today)
        page = page_of(
            self.request, plan.open().order_by("my_day_entries__added_at", "pk").as_rows()
        )
        done = list(plan.recently_completed().as_rows()[:COMPLETED_PREVIEW])
        suggested = myday.suggestions_for(
            self.request.user, today, archived=self.sidebar.archived_ids
        )
        rows.complete([*page, *done], viewer=self.request.user)
        return super().get_context_data(page=page, completed=done, suggestions=suggested, **kwargs)


class TodayView(TaskPageMixin, TemplateView):
    """What is due today, all of it on the first page, and the overdue backlog paged apart."""

    heading = "Today"
    quick_add_view = "today"
    template_name = "todos/today.html"
    empty_message = "Nothing due today. Enjoy the calm, or add a task above: it is due today."

    def get_context_data(self, **kwargs):
        today = local_today()
        user = self.request.user
        tasks = Task.objects.for_user(user).outside_projects(self.sidebar.archived_ids).open()
        # Shared tasks given to someone else are theirs to do today, not this person's.
        tasks = assignment.narrow_today(tasks, user, assignment.team_of(self.request))
        due = page_of(self.request, tasks.filter(due_date=today).order_by(*BY_DAY).as_rows())
        overdue = page_of(
            self.request,
            tasks.filter(due_date__lt=today).order_by(*BY_DAY).as_rows(),
            size=OVERDUE_PAGE_SIZE,
            param="overdue",
        )
        rows.complete([*due, *overdue], viewer=self.request.user)
        return super().get_context_data(page=due, overdue=overdue, **kwargs)


class AssignedView(TaskPageMixin, TemplateView):
    """The person's open tasks assigned to them, across projects: soonest due first, then by priority."""

    heading = "Assigned to me"
    template_name = "todos/assigned.html"
    empty_message = (
        "Nothing is assigned to you. In a shared project, a task given to you shows up here."
    )

    def get_context_data(self, **kwargs):
        user = self.request.user
        tasks = (
            Task.objects.for_user(user)
            .outside_projects(self.sidebar.archived_ids)
            .open()
            .filter(assignee=user)
            .order_by(
                F("due_date").asc(nulls_last=True),
                "priority",
                WITHOUT_TIME,
                "due_time",
                "project_id",
                "position",
                "pk",
            )
        )
        page = page_of(self.request, tasks.as_rows())
        rows.complete(page, viewer=user)
        return super().get_context_data(page=page, **kwargs)


class UpcomingView(TaskPageMixin, TemplateView):
    """The next 14 days, day by day; each day can take a new task of its own."""

    heading = "Upcoming"
    empty_message = "Nothing planned for the next 14 days."
    quick_add_view = "upcoming"
    template_name = "todos/upcoming.html"

    def adding_to(self, first: date, last: date) -> date | None:
        """Return the day whose own quick-add box was asked for (?add=YYYY-MM-DD), if any."""
        try:
            day = date.fromisoformat(self.request.GET.get("add", ""))
        except ValueError:
            return None
        return day if first <= day <= last else None

    def get_context_data(self, **kwargs):
        today = local_today()
        last = today + timedelta(days=UPCOMING_DAYS - 1)
        tasks = page_of(
            self.request,
            Task.objects.for_user(self.request.user)
            .outside_projects(self.sidebar.archived_ids)
            .due_between(today, last)
            .as_rows(),
            size=100,
        )
        rows.complete(tasks, viewer=self.request.user)
        by_day = {day: list(group) for day, group in groupby(tasks, key=lambda t: t.due_date)}
        days = [today + timedelta(days=n) for n in range(UPCOMING_DAYS)]
        return super().get_context_data(
            page=tasks,
            days=[(day, by_day.get(day, [])) for day in days],
            adding_to=self.adding_to(today, last),
            **kwargs,
        )


class ProjectTasksView(TaskPageMixin, TemplateView):
    """Open tasks of a project in manual order, recently completed ones collapsed below."""

    def get_project(self) -> Project:
        return get_object_or_404(Project.objects.for_user(self.request.user), pk=self.kwargs["pk"])

    def quick_add_project(self) -> Project:
        return self.project

    def get_context_data(self, **kwargs):
        self.project = self.get_project()
        tasks = Task.objects.for_user(self.request.user).filter(project=self.project).top_level()
        team = assignment.team_for(self.request.user)
        return super().get_context_data(
            project=self.project,
            heading=self.project.name,
            # A viewer gets no box to add tasks with, which would only be refused.
            read_only=self.project.pk in team.read_only_ids,
            **open_and_completed(self.request, tasks, tasks.open().in_manual_order()),
            **kwargs,
        )


class InboxView(ProjectTasksView):
    empty_message = (
        "Your Inbox is empty. Type a task above; it lands here unless you name a #project."
    )

    def get_project(self) -> Project:
        return services.ensure_inbox(self.request.user)


class ProjectDetailView(ProjectTasksView):
    empty_message = "No open tasks in this project. Add one above."


class TagDetailView(TaskPageMixin, TemplateView):
    empty_message = "No open tasks with this tag."

    def get_context_data(self, **kwargs):
        tag = get_object_or_404(Tag.objects.for_user(self.request.user), pk=self.kwargs["pk"])
        # Start from the tag's own links: joining them to every one of the person's tasks
        # was the slowest plan SQLite could pick (25 ms at 100,000 tasks, 7 ms this way).
        tagged = Task.tags.through.objects.filter(tag=tag).values("task_id")
        tasks = (
            Task.objects.for_user(self.request.user)
            .outside_projects(self.sidebar.archived_ids)
            .filter(pk__in=tagged)
        )
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
        page = page_of(self.request, tasks)
        rows.complete(page, viewer=self.request.user)
        # Repeating tasks stay open: each occurrence done is a Completion instead.
        occurrences = (
            Completion.objects.filter(owner=self.request.user, task__deleted_at__isnull=True)
            .select_related("task")
            .only("completed_at", "due_date", "task__title", "task__recurrence")[:OCCURRENCES]
        )
        return super().get_context_data(page=page, occurrences=list(occurrences), **kwargs)


class SearchView(TaskPageMixin, TemplateView):
    heading = "Search"
    template_name = "todos/search.html"

    def get_context_data(self, **kwargs):
        form = SearchForm(
            self.request.GET or None,
            user=self.request.user,
            projects=self.sidebar.projects,
            tags=self.sidebar.tags,
        )
        page = None
        if form.is_valid() and any(form.cleaned_data.values()):
            filters = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
            q = filters.pop("q", "")
            page = SearchPage(
                partial(
                    search_tasks, self.request.user, archived=self.sidebar.archived_ids, **filters
                ),
                50,
                page_number(self.request.GET.get("page")),
                q=q,
                query=self.request.GET,
            )
            rows.complete(page, viewer=self.request.user)
        return super().get_context_data(form=form, page=page, **kwargs)


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
        kwargs.setdefault("comment_form", CommentForm())
        tasks = Task.objects.for_user(self.request.user)
        task = get_object_or_404(tasks.select_related("project"), pk=self.kwargs["pk"])
        # Sub-tasks go one level deep: a sub-task's page shows its parent, a task its sub-tasks.
        subtasks, parent_title = [], None
        if task.parent_id is None:
            subtasks = rows.subtasks_of(task, tasks)
        else:
            parent_title = tasks.filter(pk=task.parent_id).values_list("title", flat=True).first()
        tags = rows.complete(subtasks, viewer=self.request.user, tags_for=[task.pk])
        return super().get_context_data(
            task=task,
            task_tags=tags[task.pk],
            parent_title=parent_title,
            heading=task.title,
            subtasks=subtasks,
            **repeats_of(task),
            reminders=list(
                task.reminders.filter(owner=self.request.user).order_by("remind_at", "pk")
            ),
            reminder_form=ReminderForm(task=task),
            comments=comments.listed(task, self.request.user),
            **task_history(self.request, task, self.sidebar),
            **kwargs,
        )


def repeats_of(task: Task) -> dict:
    """Return what the task page says of a repeating task: its done occurrences and next dates."""
    if not task.recurrence and not task.completions.exists():
        return {}
    done = task.completions.select_related("completed_by")
    upcoming = []
    if task.recurrence and task.due_date and task.completed_at is None:
        upcoming = recurrence.dates(
            task.recurrence,
            start=task.due_date,
            after=task.due_date,
            count=4,
        )
    return {
        "completions": list(done[:10]),
        "completion_count": done.count(),
        "next_dates": [task.due_date, *upcoming] if upcoming or task.due_date else [],
    }
