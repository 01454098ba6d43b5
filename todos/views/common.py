"""What the to-do views share: ids from requests, the page to return to, the list pages' mixin."""

import copy
from urllib.parse import urlsplit

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme

from todos import access, changes, history, rows
from todos.forms import QuickAddForm
from todos.models import Project, Task
from todos.pagination import ListPage, page_number
from todos.selectors import current_page, sidebar_for

PAGE_SIZE = 50

# The largest id a database integer column holds; anything larger cannot exist.
MAX_ID = 2**63 - 1


def back(request: HttpRequest, default: str) -> str:
    """Return the local page the request came from (a `next` field), or `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


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
    """Return one of the person's tasks outside the trash, or 404."""
    return owned_or_404(Task.objects.for_user(request.user), pk)


def any_owned_task(request: HttpRequest, pk) -> Task:
    """Return one of the person's tasks, in the trash or not, or 404."""
    return owned_or_404(Task.objects.owned_by(request.user), pk)


def editable_task(request: HttpRequest, pk, *, trashed: bool = False) -> Task:
    """Return a task the person may change: 404 for a stranger's, 403 for a viewer's."""
    task = any_owned_task(request, pk) if trashed else owned_task(request, pk)
    access.require_editor(request.user, task)
    return task


def editable_project(request: HttpRequest, pk) -> Project:
    """Return a project the person may add and change tasks in: 404, or 403 for a viewer."""
    project = owned_or_404(Project.objects.for_user(request.user), pk)
    access.require_editor(request.user, project)
    return project


def owned_project(request: HttpRequest, pk, *, inbox: bool = True) -> Project:
    """Return a project only its owner may change (rename, archive, delete, share): 404 or 403."""
    projects = Project.objects.for_user(request.user)
    if not inbox:
        projects = projects.filter(is_inbox=False)
    project = owned_or_404(projects, pk)
    access.require_owner(request.user, project)
    return project


def page_of(
    request: HttpRequest, queryset, size: int = PAGE_SIZE, param: str = "page"
) -> ListPage:
    return ListPage(
        queryset, size, page_number(request.GET.get(param)), param=param, query=request.GET
    )


def page_style(request: HttpRequest) -> rows.ListStyle:
    """Return the list style of the page the request comes from (under htmx, the sender)."""
    page = current_page(request)
    return rows.style_of(page.view_name if page else None)


def after_write(request: HttpRequest) -> None:
    """Forget what this request read before it wrote, so what it shows next is fresh."""
    changes.refreshed(request.user)
    request._sidebar = None


def say(request: HttpRequest, outcome_changed: bool, done: str, already: str, **kwargs) -> None:
    """Tell the person what a write did: `done` if it changed something, else `already`."""
    if outcome_changed:
        messages.success(request, done, **kwargs)
    else:
        messages.info(request, already)


def htmx_update(request: HttpRequest, html: str = "") -> HttpResponse:
    """Answer an htmx write: the swapped markup, then the messages and sidebar out of band."""
    after_write(request)
    return render(request, "todos/parts.html#after-write", {"swapped": html})


def page_content(request: HttpRequest) -> HttpResponse:
    """Answer an htmx write with the `content` partial of the page it was sent from.

    The page's own view reads its lists again (as a GET of that page's address) and
    draws only that partial, with the messages and the sidebar out of band: the same
    markup a reload would show, without the header and sidebar around it. A request
    from a page without such a partial asks htmx to reload the page instead.
    """
    match = current_page(request)
    view_class = getattr(getattr(match, "func", None), "view_class", None)
    if view_class is None or not issubclass(view_class, TaskPageMixin):
        return HttpResponse(headers={"HX-Refresh": "true"})
    after_write(request)
    page = copy.copy(request)
    page.method = "GET"
    page.GET = QueryDict(urlsplit(request.htmx.current_url).query)
    view = view_class()
    view.setup(page, *match.args, **match.kwargs)
    context = view.get_context_data(**match.kwargs)
    content = render_to_string(f"{view.get_template_names()[0]}#content", context, page)
    return htmx_update(page, content)


class TaskPageMixin:
    """What every page with the sidebar shares; list pages add a quick-add box and rows.

    `row_style` comes from the page's URL name (todos.rows.STYLES), the same
    style an htmx answer to this page's actions draws its rows in.
    """

    template_name = "todos/task_list.html"
    heading = ""
    empty_message = ""
    # Tells quick add which page sent it, so a new task gets the page's day and is
    # shown only where it belongs.
    quick_add_view = ""

    def quick_add_project(self) -> Project | None:
        return None

    @property
    def sidebar(self):
        return sidebar_for(self.request)

    def selection_urls(self) -> dict:
        """Return where the Select and Done buttons lead: this page with and without its boxes."""
        query = self.request.GET.copy()
        selecting = query.pop("select", None) == ["1"]
        without = f"?{query.urlencode()}"
        query["select"] = "1"
        return {
            "selecting": selecting,
            "select_url": f"?{query.urlencode()}",
            "unselect_url": without,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("heading", self.heading)
        context.update(
            **self.selection_urls(),
            empty_message=self.empty_message,
            row_style=page_style(self.request),
            quick_add_form=QuickAddForm(),
            quick_add_project=self.quick_add_project(),
            quick_add_view=self.quick_add_view,
        )
        return context


class FormPageMixin(TaskPageMixin):
    """A form page in the app's shell: errors answer 422, an edit from a stale page 409."""

    def form_invalid(self, form, status=422):
        return self.render_to_response(self.get_context_data(form=form), status=status)

    def refuse_stale(self, form, obj):
        """Show the current values beside the form; keep what was typed; the next save wins."""
        obj.refresh_from_db()
        message = form.error_messages["stale"]
        if who := history.changed_meanwhile(obj, self.request.user):
            message = f"{who}. {message}"
        form.add_error(None, message)
        form.data = form.data.copy()
        form.data["version"] = obj.version
        return self.form_invalid(form, status=409)


def redirect_back(request: HttpRequest, default: str) -> HttpResponse:
    return redirect(back(request, default))
