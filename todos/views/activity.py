"""The history of a project and of a task, as people read it (todos.history)."""

from django import forms
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from todos import history
from todos.models import Project
from todos.pagination import ListPage, page_number
from todos.views.common import PAGE_SIZE, TaskPageMixin, page_of

TASK_HISTORY_SIZE = 20


class ActivityFilterForm(forms.Form):
    person = forms.TypedChoiceField(label="Person", coerce=int, empty_value=None, required=False)
    kind = forms.ChoiceField(
        label="Kind of change", choices=[("", "Any change"), *history.Kind.choices], required=False
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [
            ("", "Anyone"),
            *((person.pk, history.name_of(person)) for person in people),
        ]


def seen_projects(sidebar) -> list[int]:
    """Return the projects whose names the person may read in history: those they see."""
    return [project.pk for project in sidebar.projects]


class HistoryPage(ListPage):
    """A page of a task's history, whose links come back to the History section."""

    def _url(self, number: int) -> str:
        return f"{super()._url(number)}#history"


def task_history(request, task, sidebar) -> dict:
    """Return the task page's History: a page of the changes to the task and its comments."""
    number = page_number(request.GET.get("history"))
    page = HistoryPage(
        history.task_timeline(task, viewer=request.user, upto=number * TASK_HISTORY_SIZE + 1),
        TASK_HISTORY_SIZE,
        number,
        param="history",
        query=request.GET,
    )
    page.object_list = history.entries(page.object_list, projects=seen_projects(sidebar))
    return {"history_page": page}


class ProjectActivityView(TaskPageMixin, TemplateView):
    """Every change in a project, newest first, for each of its members to read."""

    template_name = "todos/project_activity.html"

    def get_context_data(self, **kwargs):
        project = get_object_or_404(
            Project.objects.for_user(self.request.user), pk=self.kwargs["pk"]
        )
        form = ActivityFilterForm(self.request.GET or None, people=history.people_of(project))
        filters = {}
        if form.is_bound:
            # A filter that is not one of the choices is left out; the form says so beside it.
            form.is_valid()
            filters = form.cleaned_data
        timeline = history.project_timeline(
            project,
            viewer=self.request.user,
            person=filters.get("person"),
            kind=filters.get("kind") or None,
            upto=page_number(self.request.GET.get("page")) * PAGE_SIZE + 1,
        )
        page = page_of(self.request, timeline)
        page.object_list = history.entries(page.object_list, projects=seen_projects(self.sidebar))
        return super().get_context_data(
            project=project,
            heading=f"Activity in {project.name}",
            form=form,
            page=page,
            filtered=bool(filters.get("person") or filters.get("kind")),
            **kwargs,
        )
