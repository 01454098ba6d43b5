"""Projects: the list, creating, renaming and recolouring, archiving and deleting."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django.views.generic import FormView, TemplateView

from todos import services
from todos.forms import ProjectForm
from todos.models import Project, Task
from todos.views.common import (
    FormPageMixin,
    TaskPageMixin,
    owned_project,
    redirect_back,
    say,
)


def editable_project(request, pk) -> Project:
    """Return one of the person's own projects other than the Inbox: 404, or 403 for a member."""
    return owned_project(request, pk, inbox=False)


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


class ProjectCreateView(FormPageMixin, FormView):
    form_class = ProjectForm
    template_name = "todos/project_form.html"
    heading = "New project"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        project = services.create_project(
            owner=self.request.user,
            name=form.cleaned_data["name"],
            colour=form.cleaned_data["colour"],
        )
        messages.success(self.request, f"Saved project “{project.name}”.")
        return redirect(project.get_absolute_url())


class ProjectUpdateView(FormPageMixin, FormView):
    """Rename or recolour a project (never the Inbox); an edit from a stale page is refused."""

    form_class = ProjectForm
    template_name = "todos/project_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.project = editable_project(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "instance": self.project}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            project=self.project, heading=f"Edit “{self.project.name}”", **kwargs
        )

    def form_valid(self, form):
        try:
            services.update_project(
                self.project,
                expected_version=form.cleaned_data["version"] or 0,
                name=form.cleaned_data["name"],
                colour=form.cleaned_data["colour"],
            )
        except services.StaleEditError:
            return self.refuse_stale(form, self.project)
        messages.success(self.request, f"Saved project “{self.project.name}”.")
        return redirect(self.project.get_absolute_url())


@require_POST
def project_archive(request, pk: int):
    """Archive a project, or unarchive it with archived=0, as the button pressed said."""
    project = editable_project(request, pk)
    archived = request.POST.get("archived", "1") != "0"
    changed = services.set_archived(project, archived)
    if archived:
        done, already = "Archived project “{}”.", "“{}” was already archived."
    else:
        done, already = "Restored project “{}”.", "“{}” was already active."
    say(request, changed, done.format(project.name), already.format(project.name))
    return redirect(reverse("todos:project_list") if archived else project.get_absolute_url())


@require_POST
def project_favourite(request, pk: int):
    """Pin a project to the sidebar, or unpin it with favourite=0, as the button pressed said."""
    project = editable_project(request, pk)
    favourite = request.POST.get("favourite", "1") != "0"
    changed = services.set_favourite(project, favourite)
    if favourite:
        done, already = "Added “{}” to your favourites.", "“{}” is already a favourite."
    else:
        done, already = "Removed “{}” from your favourites.", "“{}” is not a favourite."
    say(request, changed, done.format(project.name), already.format(project.name))
    return redirect_back(request, project.get_absolute_url())


class ProjectDeleteView(TaskPageMixin, TemplateView):
    template_name = "todos/project_confirm_delete.html"

    def dispatch(self, request, *args, **kwargs):
        self.project = editable_project(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        count = Task.objects.for_user(self.request.user).filter(project=self.project).count()
        return super().get_context_data(project=self.project, task_count=count, **kwargs)

    def post(self, request, *args, **kwargs):
        count = services.delete_project(self.project, now=timezone.now())
        messages.success(
            request,
            f"Deleted project “{self.project.name}”; its {count} task{'' if count == 1 else 's'} "
            "went to the trash, from where they can be restored into the Inbox.",
        )
        return redirect("todos:today")
