"""Comments on a task: add, edit and delete; under htmx the task page's comments section is swapped."""

import functools

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_POST
from django.views.generic import FormView, TemplateView

from todos import comments
from todos.forms import CommentForm
from todos.models import Comment, Task
from todos.views.common import FormPageMixin, TaskPageMixin, htmx_update, owned_or_404, owned_task
from todos.views.lists import TaskDetailView

KEPT = "Your text is kept below: copy it into a new comment if you still want to say it."


def visible_comment(request: HttpRequest, pk) -> Comment:
    """Return a comment on a task the person can see, or 404."""
    on_visible_tasks = Comment.objects.filter(task__in=Task.objects.for_user(request.user))
    return owned_or_404(on_visible_tasks.select_related("task__project", "author"), pk)


def reload_when_refused(dispatch):
    """Under htmx, answer a refusal by reloading the page, which says why: htmx swaps no 403."""

    @functools.wraps(dispatch)
    def refusing(view, request, *args, **kwargs):
        try:
            return dispatch(view, request, *args, **kwargs)
        except PermissionDenied as refusal:
            if not request.htmx:
                raise
            messages.error(request, str(refusal))
            return HttpResponse(status=403, headers={"HX-Refresh": "true"})

    return refusing


def back_to_comments(task: Task) -> str:
    return f"{task.get_absolute_url()}#comments"


def section_html(request: HttpRequest, task: Task, form: CommentForm | None = None) -> str:
    """Draw the task page's comments section, as the page itself includes it."""
    context = {
        "task": task,
        "comment_form": form or CommentForm(),
        "comments": comments.listed(task, request.user),
    }
    return render_to_string("todos/_comments.html", context, request)


def answer_write(request: HttpRequest, task: Task, done: str) -> HttpResponse:
    """Say what was done; answer htmx with the new comments section, a plain POST with the page."""
    messages.success(request, done)
    if request.htmx:
        return htmx_update(request, section_html(request, task))
    return redirect(back_to_comments(task))


@require_POST
def comment_add(request: HttpRequest, pk: int) -> HttpResponse:
    task = owned_task(request, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        comments.add(task, request.user, form.cleaned_data["body"])
        return answer_write(request, task, "Comment added.")
    if request.htmx:
        return HttpResponse(section_html(request, task, form), status=422)
    page = TaskDetailView()
    page.setup(request, pk=task.pk)
    # The page's own forms go back to the task, not to this address, which only takes POSTs.
    context = page.get_context_data(pk=task.pk, comment_form=form, here=task.get_absolute_url())
    return render(request, page.template_name, context, status=422)


class CommentEditView(FormPageMixin, FormView):
    """Change one's own comment in its first minutes; the page is also swapped in place by htmx."""

    form_class = CommentForm
    template_name = "todos/comment_form.html"

    @reload_when_refused
    def dispatch(self, request, *args, **kwargs):
        self.comment = visible_comment(request, kwargs["pk"])
        comments.require_author(self.comment, request.user)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        comments.require_edit(self.comment, request.user, timezone.now())
        return super().get(request, *args, **kwargs)

    def get_template_names(self):
        return [f"{self.template_name}#form" if self.request.htmx else self.template_name]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "auto_id": f"comment-{self.comment.pk}-edit-%s"}

    def get_initial(self):
        return {"body": self.comment.body}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            comment=self.comment, task=self.comment.task, heading="Edit your comment", **kwargs
        )

    def form_valid(self, form):
        try:
            changed = comments.edit(self.comment, self.request.user, form.cleaned_data["body"])
        except PermissionDenied as refusal:
            # Too late: what was typed stays in the form, to copy into a new comment. (htmx
            # swaps no 403, so it gets the form as it gets any other it cannot save.)
            form.add_error("body", f"{refusal} {KEPT}")
            return self.form_invalid(form, status=422 if self.request.htmx else 403)
        done = "Comment saved." if changed else "Nothing changed: the comment already says that."
        return answer_write(self.request, self.comment.task, done)

    def form_invalid(self, form, status=422):
        response = super().form_invalid(form, status=status)
        if self.request.htmx:
            # The form answers in place of itself, not of the section its success replaces.
            response["HX-Retarget"] = f"#comment-{self.comment.pk}-form"
            response["HX-Reswap"] = "outerHTML"
        return response


class CommentDeleteView(TaskPageMixin, TemplateView):
    """Ask before deleting a comment; nothing brings it back."""

    template_name = "todos/comment_confirm_delete.html"

    @reload_when_refused
    def dispatch(self, request, *args, **kwargs):
        self.comment = visible_comment(request, kwargs["pk"])
        comments.require_delete(self.comment, request.user, timezone.now())
        return super().dispatch(request, *args, **kwargs)

    def get_template_names(self):
        return [f"{self.template_name}#confirm" if self.request.htmx else self.template_name]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            comment=self.comment, task=self.comment.task, heading="Delete a comment", **kwargs
        )

    def post(self, request, *args, **kwargs):
        deleted = comments.delete(self.comment, request.user)
        return answer_write(
            request,
            self.comment.task,
            "Comment deleted." if deleted else "The comment was already deleted.",
        )
