"""Tags: the list, renaming and recolouring (merging into a tag of the same name), deleting."""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import FormView, TemplateView

from todos import services
from todos.forms import TagForm
from todos.models import Tag
from todos.views.common import FormPageMixin, TaskPageMixin


def owned_tag(request, pk) -> Tag:
    return get_object_or_404(Tag.objects.for_user(request.user), pk=pk)


class TagListView(TaskPageMixin, TemplateView):
    heading = "Tags"
    template_name = "todos/tag_list.html"

    def get_context_data(self, **kwargs):
        open_tasks = Q(tasks__completed_at__isnull=True, tasks__deleted_at__isnull=True)
        tags = Tag.objects.for_user(self.request.user).annotate(
            open_count=Count("tasks", filter=open_tasks)
        )
        return super().get_context_data(tags=tags, **kwargs)


class TagUpdateView(FormPageMixin, FormView):
    """Rename or recolour a tag; a name another tag has is offered as a merge into it."""

    form_class = TagForm
    template_name = "todos/tag_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.tag = owned_tag(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"name": self.tag.name, "colour": self.tag.colour}

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, heading=f"Edit @{self.tag.name}", **kwargs)

    def form_valid(self, form):
        name, merge = form.cleaned_data["name"], form.cleaned_data["merge"]
        try:
            tag = services.update_tag(
                self.tag, name=name, colour=form.cleaned_data["colour"], merge=merge
            )
        except services.TagNameTaken as taken:
            form.offer_merge(self.tag, taken.tag)
            return self.form_invalid(form)
        if tag.pk != self.tag.pk:
            messages.success(self.request, f"Merged @{self.tag.name} into @{tag.name}.")
        else:
            messages.success(self.request, f"Saved tag @{tag.name}.")
        return redirect(tag.get_absolute_url())


class TagDeleteView(TaskPageMixin, TemplateView):
    """Ask before deleting a tag; its tasks stay, without it."""

    template_name = "todos/tag_confirm_delete.html"

    def dispatch(self, request, *args, **kwargs):
        self.tag = owned_tag(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        count = Tag.tasks.through.objects.filter(tag=self.tag).count()
        return super().get_context_data(tag=self.tag, task_count=count, **kwargs)

    def post(self, request, *args, **kwargs):
        count = services.delete_tag(self.tag)
        messages.success(
            request,
            f"Deleted tag @{self.tag.name}; {count} task{'' if count == 1 else 's'} "
            f"{'keeps' if count == 1 else 'keep'} their other tags.",
        )
        return redirect(reverse("todos:tag_list"))
