"""What staff see of reminders and of the task queue in the admin."""

import os
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from reminders import dispatch, schedule
from reminders.models import Delivery
from todos.tests.factories import ProjectFactory, TaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def failed_delivery(user, settings):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 1, "timeout": 2},
        }
    }
    task = TaskFactory(project=ProjectFactory(owner=user), title="Pay rent")
    schedule.add(task, at=timezone.now() - timedelta(seconds=1))
    dispatch.tick()
    return Delivery.objects.get()


@pytest.mark.parametrize("model", ["reminder", "notification", "delivery"])
def test_reminder_lists_show_their_rows_in_a_few_queries(
    admin_client, failed_delivery, model, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        response = admin_client.get(reverse(f"admin:reminders_{model}_changelist"))

    assert response.status_code == 200
    assert "Pay rent" in response.text


def test_a_delivery_shows_why_it_failed_and_cannot_be_edited(admin_client, failed_delivery):
    url = reverse("admin:reminders_delivery_change", args=[failed_delivery.pk])

    page = admin_client.get(url)
    admin_client.post(url, {"state": Delivery.State.SENT})

    assert "refused" in page.text.lower()
    assert 'name="state"' not in page.text
    failed_delivery.refresh_from_db()
    assert failed_delivery.state == Delivery.State.PENDING


def test_the_task_results_list_shows_a_failed_task_with_its_traceback(
    admin_client, user, tasks_in_database, failed_delivery
):
    result = dispatch.deliver.enqueue(failed_delivery.pk)
    db_result = DBTaskResult.objects.get(id=result.id)
    try:
        dispatch.deliver.call(failed_delivery.pk)
    except dispatch.DeliveryFailed as error:
        db_result.set_failed(error)

    listing = admin_client.get(
        reverse("admin:django_tasks_database_dbtaskresult_changelist"), {"status": "FAILED"}
    )
    detail = admin_client.get(
        reverse("admin:django_tasks_database_dbtaskresult_change", args=[db_result.pk])
    )

    assert f"{db_result.pk}</a>" in listing.text
    assert "DeliveryFailed" in detail.text


@pytest.mark.skipif(os.environ.get("TASKS_BACKEND") != "rq", reason="Runs with TASKS_BACKEND=rq")
def test_the_rq_queues_are_in_the_admin_for_staff_only(admin_client, client, user):
    url = reverse("admin:django_rq_dashboard_changelist")

    assert admin_client.get(url).status_code == 200
    client.force_login(user)
    assert client.get(url).status_code == 302
