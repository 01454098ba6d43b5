"""Tags: list, rename, recolour, merge and delete, without JavaScript, only one's own."""

import pytest
from django.urls import reverse

from todos.models import Tag, Task
from todos.tests.factories import ProjectFactory, TagFactory, TaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bills(user):
    return TagFactory(owner=user, name="bills")


@pytest.fixture
def tagged(user, bills):
    home = ProjectFactory(owner=user, name="Home")
    return [TaskFactory(project=home, title=f"Pay {n}", tags=[bills]) for n in range(3)]


def test_the_tags_page_lists_tags_with_their_open_tasks(client_logged_in, user, bills, tagged):
    TagFactory(owner=user, name="errands")

    html = client_logged_in.get(reverse("todos:tag_list")).content.decode()

    assert "@bills" in html
    assert "3 open tasks" in html
    assert "@errands" in html
    assert "0 open tasks" in html
    assert reverse("todos:tag_update", args=[bills.pk]) in html
    assert reverse("todos:tag_delete", args=[bills.pk]) in html


def test_an_empty_tags_page_says_how_to_make_one(client_logged_in):
    html = client_logged_in.get(reverse("todos:tag_list")).content.decode()

    assert "No tags yet." in html


def test_rename_and_recolour_a_tag(client_logged_in, bills, tagged):
    response = client_logged_in.post(
        reverse("todos:tag_update", args=[bills.pk]), {"name": "@Money", "colour": "green"}
    )

    bills.refresh_from_db()
    assert (bills.name, bills.colour) == ("Money", "green")
    assert response.url == bills.get_absolute_url()
    assert "@Money" in client_logged_in.get(tagged[0].get_absolute_url()).content.decode()
    sidebar = client_logged_in.get(reverse("todos:today")).content.decode()
    assert (
        '<span class="swatch swatch-green" aria-hidden="true"></span><span class="side-name">Money'
        in sidebar
    )


def test_renaming_to_an_existing_tag_offers_a_merge_and_keeps_what_was_typed(
    client_logged_in, user, bills
):
    TagFactory(owner=user, name="Money")

    response = client_logged_in.post(
        reverse("todos:tag_update", args=[bills.pk]), {"name": "money", "colour": "red"}
    )

    assert response.status_code == 422
    html = response.content.decode()
    assert "You already have a tag called “Money”." in html
    assert "Merge @bills into @Money" in html
    assert 'value="money"' in html
    assert Tag.objects.filter(owner=user).count() == 2


def test_merging_gives_every_task_the_other_tag_and_deletes_this_one(
    client_logged_in, user, bills, tagged
):
    money = TagFactory(owner=user, name="Money")
    tagged[0].tags.add(money)

    response = client_logged_in.post(
        reverse("todos:tag_update", args=[bills.pk]),
        {"name": "Money", "colour": "grey", "merge": "on"},
    )

    assert response.url == money.get_absolute_url()
    assert not Tag.objects.filter(pk=bills.pk).exists()
    for task in tagged:
        assert list(task.tags.values_list("name", flat=True)) == ["Money"]


def test_deleting_a_tag_asks_first_and_keeps_its_tasks(client_logged_in, bills, tagged):
    url = reverse("todos:tag_delete", args=[bills.pk])
    page = client_logged_in.get(url).content.decode()
    assert "3 tasks have this tag; they stay, without it." in page
    assert Tag.objects.filter(pk=bills.pk).exists()

    response = client_logged_in.post(url)

    assert response.url == reverse("todos:tag_list")
    assert not Tag.objects.filter(pk=bills.pk).exists()
    assert Task.objects.filter(pk__in=[t.pk for t in tagged]).count() == 3


@pytest.mark.parametrize("name", ["todos:tag_update", "todos:tag_delete"])
def test_another_persons_tag_is_404_and_unchanged(client, other_user, bills, name):
    client.force_login(other_user)

    assert client.get(reverse(name, args=[bills.pk])).status_code == 404
    assert (
        client.post(reverse(name, args=[bills.pk]), {"name": "x", "colour": "red"}).status_code
        == 404
    )
    bills.refresh_from_db()
    assert bills.name == "bills"


def test_a_tag_cannot_be_merged_into_another_persons(client_logged_in, other_user, bills):
    TagFactory(owner=other_user, name="theirs")

    client_logged_in.post(
        reverse("todos:tag_update", args=[bills.pk]),
        {"name": "theirs", "colour": "grey", "merge": "on"},
    )

    bills.refresh_from_db()
    assert bills.name == "theirs"
    assert Tag.objects.filter(owner=other_user, name="theirs").exists()


def test_another_persons_tag_linked_to_my_task_is_never_shown(client_logged_in, user, other_user):
    mine = TaskFactory(project=ProjectFactory(owner=user), title="Mine")
    theirs = TagFactory(owner=other_user, name="secret")
    Task.tags.through.objects.create(task=mine, tag=theirs)

    html = client_logged_in.get(mine.project.get_absolute_url()).content.decode()

    assert "Mine" in html
    assert "secret" not in html
