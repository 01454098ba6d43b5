import pytest
from django.urls import reverse

from webhooks.models import Webhook

pytestmark = pytest.mark.django_db

ACTIONS = ["webhooks:send_test", "webhooks:rotate_secret", "webhooks:enable", "webhooks:disable"]


@pytest.fixture
def webhook(user):
    return Webhook.objects.create(
        owner=user, url="https://hooks.example.com/a", events=["task.created"]
    )


def test_a_private_url_is_refused_beside_the_field_and_kept(client_logged_in, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    response = client_logged_in.post(
        reverse("webhooks:list"), {"url": "https://169.254.169.254/x", "events": ["task.created"]}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "private, loopback or reserved" in page
    assert 'value="https://169.254.169.254/x"' in page
    assert not Webhook.objects.exists()


def test_adding_a_webhook_redirects_to_its_page(client_logged_in, user, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    response = client_logged_in.post(
        reverse("webhooks:list"), {"url": "http://127.0.0.1:9/hook", "events": ["task.created"]}
    )
    webhook = Webhook.objects.get(owner=user)
    assert response.url == webhook.get_absolute_url()
    assert webhook.secret.startswith("whsec_")
    assert webhook.secret in client_logged_in.get(response.url).content.decode()


@pytest.mark.parametrize("name", ["webhooks:detail", "webhooks:delete", *ACTIONS])
def test_another_persons_webhook_is_404(client, other_user, webhook, name):
    client.force_login(other_user)
    method = client.get if name in ("webhooks:detail", "webhooks:delete") else client.post
    assert method(reverse(name, kwargs={"pk": webhook.pk})).status_code == 404


@pytest.mark.parametrize("name", ACTIONS)
def test_actions_refuse_get(client_logged_in, webhook, name):
    assert client_logged_in.get(reverse(name, kwargs={"pk": webhook.pk})).status_code == 405


def test_a_visitor_is_sent_to_sign_in(client, webhook):
    url = reverse("webhooks:detail", kwargs={"pk": webhook.pk})
    response = client.get(url)
    assert response.status_code == 302
    assert f"?next={url}" in response.url


def test_delete_asks_first(client_logged_in, webhook):
    url = reverse("webhooks:delete", kwargs={"pk": webhook.pk})
    assert "Delete this webhook?" in client_logged_in.get(url).content.decode()
    assert client_logged_in.post(url).url == reverse("webhooks:list")
    assert not Webhook.objects.exists()


def test_rotating_makes_a_new_secret(client_logged_in, webhook):
    old = webhook.secret
    client_logged_in.post(reverse("webhooks:rotate_secret", kwargs={"pk": webhook.pk}))
    webhook.refresh_from_db()
    assert webhook.secret != old


def test_the_page_reads_a_bounded_number_of_queries(
    client_logged_in, webhook, django_assert_max_num_queries
):
    from webhooks.models import Delivery

    Delivery.objects.bulk_create(
        Delivery(webhook=webhook, message_id=f"msg_{n}", event="task.created", body="{}")
        for n in range(60)
    )
    with django_assert_max_num_queries(12):
        response = client_logged_in.get(webhook.get_absolute_url() + "?page=2")
    assert response.status_code == 200
    assert "Pages of deliveries" in response.content.decode()
