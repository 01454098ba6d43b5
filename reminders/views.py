"""Notifications, a task's reminders, and the one-button pages that links in messages open."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from reminders import links, schedule
from reminders.forms import ReminderForm
from reminders.models import Notification, Reminder
from todos import access, changes, history, services
from todos.models import Task
from todos.views.common import (
    TaskPageMixin,
    editable_task,
    page_of,
    redirect_back,
    say,
)
from todos.views.tasks import undo_tag


class NotificationListView(TaskPageMixin, TemplateView):
    """The in-app channel: what Ticklist told the person, newest first; seeing it reads it."""

    heading = "Notifications"
    template_name = "reminders/notification_list.html"

    def get_context_data(self, **kwargs):
        notifications = Notification.objects.filter(user=self.request.user, in_app=True)
        page = page_of(self.request, notifications.select_related("task"))
        context = super().get_context_data(page=page, **kwargs)
        unread = [n.pk for n in page.object_list if n.read_at is None]
        if unread or self.request.user.unread_notifications:
            Notification.objects.filter(pk__in=unread).update(read_at=timezone.now())
            # Counted again rather than decremented: the count also heals itself here.
            left = notifications.filter(read_at__isnull=True).count()
            get_user_model().objects.filter(pk=self.request.user.pk).update(
                unread_notifications=left
            )
            changes.data_changed([self.request.user.pk])
            # This page's own header says so already.
            changes.refreshed(self.request.user)
            self.request.user.unread_notifications = left
        context["unread_ids"] = set(unread)
        return context


@require_POST
def reminder_add(request: HttpRequest, pk: int) -> HttpResponse:
    task = editable_task(request, pk)
    form = ReminderForm(request.POST, task=task)
    if form.is_valid():
        reminder = schedule.add(task, owner=request.user, **form.reminder_fields())
        when = timezone.localtime(reminder.remind_at) if reminder.remind_at else None
        messages.success(
            request,
            f"You will be reminded of “{task.title}” on {when:%a %-d %b at %H:%M}."
            if when
            else f"Reminder added to “{task.title}”.",
        )
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect_back(request, task.get_absolute_url() + "#reminders")


@require_POST
def reminder_delete(request: HttpRequest, pk: int) -> HttpResponse:
    reminder = get_object_or_404(
        Reminder.objects.filter(owner=request.user, task__in=Task.objects.for_user(request.user)),
        pk=pk,
    )
    task = reminder.task
    schedule.remove(reminder)
    messages.success(request, f"Removed a reminder of “{task.title}”.")
    return redirect_back(request, task.get_absolute_url() + "#reminders")


@require_POST
def task_skip(request: HttpRequest, pk: int) -> HttpResponse:
    """Skip the occurrence the button names: sent again from a stale page, it skips no other."""
    task = editable_task(request, pk)
    occurrence = request.POST.get("occurrence")
    already = f"“{task.title}” has no occurrence waiting to be skipped."
    if occurrence and occurrence != str(task.due_date):
        outcome = services.Outcome(0, 1)
        already = f"That occurrence of “{task.title}” was already skipped or completed."
    else:
        outcome = services.skip_occurrence(task, now=timezone.now())
    if outcome.changed and task.completed_at is None:
        done = f"Skipped: “{task.title}” is now due {task.due_date:%a %-d %b}."
    else:
        done = f"Skipped the last occurrence: “{task.title}” is done."
    say(request, outcome.changed, done, already, extra_tags=undo_tag(outcome.undo))
    return redirect_back(request, task.get_absolute_url())


@method_decorator(login_not_required, name="dispatch")
class ActionView(View):
    """Complete or snooze a task from a link in a message: GET shows one button, POST does it.

    Mail scanners open links, so a GET never changes anything.
    """

    template_name = "reminders/action.html"

    def read(self, token: str):
        found = links.read(token)
        if found is None:
            return None
        notification, action = found
        task = notification.task
        if task is None or task.deleted_at is not None:
            return None
        # Someone no longer allowed to change a shared task cannot from an old link either.
        if not access.can_edit(notification.user, task):
            return None
        return notification, action, task

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        found = self.read(token)
        if found is None:
            return render(request, "reminders/action_gone.html", status=404)
        _, action, task = found
        return render(
            request,
            self.template_name,
            {
                "task": task,
                "action": action,
                "label": links.ACTIONS[action],
                "token": token,
                "snoozes": [(choice, links.ACTIONS[choice]) for choice in links.SNOOZES],
            },
        )

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        found = self.read(token)
        if found is None or not links.use(token):
            return render(request, "reminders/action_gone.html", status=404)
        notification, action, task = found
        now = timezone.now()
        if action == "snooze":
            # The page of a notification's Snooze button offers the three; one is sent.
            action = request.POST.get("choice", "")
            if action not in links.SNOOZES:
                return render(request, "reminders/action_gone.html", status=404)
        if action == "complete":
            with history.by(notification.user):
                outcome = services.set_completed(task, True, now=now, by=notification.user)
            done = (
                f"Completed “{task.title}”."
                if outcome.changed
                else f"“{task.title}” was already completed."
            )
        else:
            tz = schedule.zone_of(task.owner)
            moment = schedule.snooze_until(action, now=now, tz=tz)
            schedule.add(task, owner=notification.user, at=moment)
            done = (
                f"Snoozed “{task.title}”: you will be reminded again on "
                f"{moment.astimezone(tz):%a %-d %b at %H:%M}."
            )
        return render(request, "reminders/action_done.html", {"task": task, "done": done})
