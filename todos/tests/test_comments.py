"""Comments on tasks: who may write, edit and delete them, mentions, and how they are shown."""

import re
import time
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time
from hypothesis import given
from hypothesis import settings as examples
from hypothesis import strategies as st

from accounts.tests.factories import UserFactory
from reminders.models import Notification
from tests.html import html_errors
from todos import comments
from todos.models import Comment, Role, Task
from todos.templatetags.comments import initials, linkify
from todos.tests.factories import MembershipFactory, ProjectFactory, TaskFactory, household

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(user):
    """A project of `user` (ada) shared with an editor (sam) and a viewer (vic)."""
    return household(user, editor_name="Sam Smith")


def count_of(task) -> int:
    return Task.objects.values_list("comment_count", flat=True).get(pk=task.pk)


def mentions_of(person):
    return Notification.objects.filter(user=person, kind=Notification.Kind.MENTION)


def html_of(response) -> str:
    return response.content.decode()


# Writing


def test_every_member_may_comment_and_the_task_row_counts_without_a_new_version(shared):
    task = shared["task"]
    for person in (shared["owner"], shared["editor"], shared["viewer"]):
        comments.add(task, person, f"From {person.username}")

    assert count_of(task) == 3
    assert Task.objects.get(pk=task.pk).version == task.version
    assert [c.author for c in task.comments.all()] == [
        shared["owner"],
        shared["editor"],
        shared["viewer"],
    ]


def test_a_comment_is_kept_without_surrounding_space_and_with_plain_line_breaks(shared):
    comment = comments.add(shared["task"], shared["viewer"], "  \r\nFirst line\r\nsecond\n  ")

    comment.refresh_from_db()
    assert comment.body == "First line\nsecond"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("", "empty"),
        (" \n\t ", "empty"),
        ("x" * 5001, "too_long"),
        ("nul\x00here", "null_characters_not_allowed"),
    ],
)
def test_an_empty_or_overlong_comment_is_refused_with_a_reason(shared, body, code):
    with pytest.raises(ValidationError) as refusal:
        comments.add(shared["task"], shared["editor"], body)

    assert refusal.value.code == code
    assert not Comment.objects.exists()
    assert count_of(shared["task"]) == 0


def test_the_limit_is_5000_characters_after_trimming(shared):
    comments.add(shared["task"], shared["editor"], " " + "x" * 5000 + "\n")

    with pytest.raises(ValidationError, match="5,001"):
        comments.clean_body("x" * 5001)
    assert count_of(shared["task"]) == 1


# Editing and deleting


def test_the_author_edits_their_comment_within_15_minutes(shared):
    comment = comments.add(shared["task"], shared["editor"], "Buy oat milk")

    changed = comments.edit(
        comment, shared["editor"], "Buy soy milk", now=comment.created_at + timedelta(minutes=15)
    )

    comment.refresh_from_db()
    assert changed
    assert comment.body == "Buy soy milk"
    assert comment.edited_at == comment.created_at + timedelta(minutes=15)


def test_an_edit_that_changes_nothing_marks_nothing_edited(shared):
    comment = comments.add(shared["task"], shared["editor"], "Buy oat milk")

    assert not comments.edit(comment, shared["editor"], " Buy oat milk ")
    comment.refresh_from_db()
    assert comment.edited_at is None


def test_after_15_minutes_even_the_author_cannot_edit_or_delete(shared):
    comment = comments.add(shared["task"], shared["editor"], "Buy oat milk")
    later = comment.created_at + timedelta(minutes=15, seconds=1)

    with pytest.raises(PermissionDenied):
        comments.edit(comment, shared["editor"], "Buy soy milk", now=later)
    with pytest.raises(PermissionDenied):
        comments.delete(comment, shared["editor"], now=later)
    comment.refresh_from_db()
    assert comment.body == "Buy oat milk"
    assert count_of(shared["task"]) == 1


@pytest.mark.parametrize("who", ["owner", "viewer"])
def test_nobody_but_the_author_edits_a_comment(shared, who):
    comment = comments.add(shared["task"], shared["editor"], "Buy oat milk")

    with pytest.raises(PermissionDenied):
        comments.edit(comment, shared[who], "Buy soy milk")
    comment.refresh_from_db()
    assert comment.body == "Buy oat milk"


def test_the_author_deletes_their_comment_and_the_count_follows(shared):
    comment = comments.add(shared["task"], shared["viewer"], "Oops")

    assert comments.delete(comment, shared["viewer"], now=comment.created_at)

    assert not Comment.objects.exists()
    assert count_of(shared["task"]) == 0


def test_the_owner_deletes_anyones_comment_at_any_time(shared):
    comment = comments.add(shared["task"], shared["editor"], "Buy oat milk")

    comments.delete(comment, shared["owner"], now=comment.created_at + timedelta(days=30))

    assert not Comment.objects.exists()
    assert count_of(shared["task"]) == 0


@pytest.mark.parametrize(("author", "who"), [("viewer", "editor"), ("owner", "editor")])
def test_other_members_cannot_delete_a_comment(shared, author, who):
    comment = comments.add(shared["task"], shared[author], "Mine")

    with pytest.raises(PermissionDenied):
        comments.delete(comment, shared[who])
    assert Comment.objects.filter(pk=comment.pk).exists()
    assert count_of(shared["task"]) == 1


def test_deleting_a_comment_twice_changes_nothing_the_second_time(shared):
    comment = comments.add(shared["task"], shared["editor"], "Buy oat milk")
    again = Comment.objects.get(pk=comment.pk)
    comments.add(shared["task"], shared["editor"], "Another")

    assert comments.delete(comment, shared["editor"])
    assert not comments.delete(again, shared["editor"])
    assert count_of(shared["task"]) == 1


def test_history_names_who_wrote_edited_and_deleted(shared):
    comment = comments.add(shared["task"], shared["editor"], "Buy oat milk")
    comment_id = comment.pk
    comments.edit(comment, shared["editor"], "Buy soy milk")
    comments.delete(comment, shared["owner"])

    records = Comment.history.filter(id=comment_id).order_by("history_date", "history_id")
    assert [(r.history_type, r.history_user, r.body) for r in records] == [
        ("+", shared["editor"], "Buy oat milk"),
        ("~", shared["editor"], "Buy soy milk"),
        ("-", shared["owner"], "Buy soy milk"),
    ]


# Mentions


def test_a_mention_tells_that_member_once_in_any_case(shared):
    comment = comments.add(
        shared["task"], shared["viewer"], "@SAM can you get it? @sam, or @Sam. Thanks @ada!"
    )

    (told,) = mentions_of(shared["editor"])
    assert told.title == "vic mentioned you on “Buy milk”"
    assert told.body == comment.body
    assert told.task == shared["task"]
    assert mentions_of(shared["owner"]).count() == 1
    assert sorted(comment.mentioned) == ["ada", "sam"]


def test_the_author_is_not_told_of_their_own_mention(shared):
    comment = comments.add(shared["task"], shared["editor"], "Note to self, @sam: buy milk")

    assert not mentions_of(shared["editor"]).exists()
    assert comment.mentioned == []


def test_a_long_comment_is_quoted_shortened(shared):
    comments.add(shared["task"], shared["owner"], "@sam " + "word " * 200)

    (told,) = mentions_of(shared["editor"])
    assert len(told.body) <= comments.QUOTED
    assert told.body.endswith("…")


def test_people_outside_the_project_are_not_told_and_nothing_says_who_exists(
    client, shared, other_user
):
    client.force_login(shared["editor"])
    url = reverse("todos:comment_add", args=[shared["task"].pk])

    existing = client.post(url, {"body": "Ask @mallory"}, follow=True)
    unknown = client.post(url, {"body": "Ask @nobody"}, follow=True)

    assert not Notification.objects.exists()
    assert existing.redirect_chain == unknown.redirect_chain
    assert [str(m) for m in existing.context["messages"]] == [
        str(m) for m in unknown.context["messages"]
    ]
    assert 'class="mention"' not in html_of(unknown)
    assert [c.mentioned for c in Comment.objects.all()] == [[], []]


def test_a_removed_member_is_no_longer_told(shared):
    shared["viewer"].memberships.all().delete()

    comments.add(shared["task"], shared["editor"], "@vic see this")

    assert not mentions_of(shared["viewer"]).exists()


def test_an_edit_tells_only_the_newly_mentioned_and_never_anyone_twice(shared):
    comment = comments.add(shared["task"], shared["editor"], "@vic can you?")
    comments.edit(comment, shared["editor"], "@vic or @ada, can you?")
    comments.edit(comment, shared["editor"], "@ada, can you?")
    comments.edit(comment, shared["editor"], "@ada or @vic, can you?")

    assert mentions_of(shared["viewer"]).count() == 1
    assert mentions_of(shared["owner"]).count() == 1


@pytest.mark.parametrize(
    "body",
    [
        "Write to sam@example.com",
        "See https://example.com/@sam and http://x.org/?to=@sam",
        "@@sam or me@sam",
        "email@sam.example",
    ],
)
def test_addresses_and_links_are_not_mentions(shared, body):
    comments.add(shared["task"], shared["owner"], body)

    assert not mentions_of(shared["editor"]).exists()


def test_a_username_with_dots_is_mentioned_whole(shared):
    dotted = UserFactory(username="jo.ann")
    MembershipFactory(project=shared["task"].project, user=dotted)

    comments.add(shared["task"], shared["owner"], "Thanks @jo.ann. And @jo.ann.")

    assert mentions_of(dotted).count() == 1


def test_the_mentioned_person_gets_an_email_through_the_worker(
    client, user, worker, smtp_server, settings
):
    project = ProjectFactory(owner=user, name="Household")
    editor = UserFactory(username="sam", display_name="Sam Smith")
    MembershipFactory(project=project, user=editor, role=Role.EDITOR)
    task = TaskFactory(project=project, title="Buy milk")
    client.force_login(editor)

    response = client.post(
        reverse("todos:comment_add", args=[task.pk]),
        {"body": "@ada the shop is out of oat milk: https://shop.example/oat"},
    )
    assert response.status_code == 302
    assert smtp_server.messages == []  # never from the request

    worker.start()
    (message,) = smtp_server.wait_for(1)

    assert message["To"] == "ada@example.com"
    assert message["Subject"] == "Sam Smith mentioned you on “Buy milk”"
    text = message.get_body(("plain",)).get_content()
    assert "the shop is out of oat milk: https://shop.example/oat" in text
    assert settings.SITE_URL.rstrip("/") + task.get_absolute_url() in text


# Showing: links, mentions and hostile text


class Markup(HTMLParser):
    """Collect the tags and attributes of some HTML, and its text."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text = ""
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text += data


def assert_safe(html: str) -> Markup:
    markup = Markup(html)
    for tag, attrs in markup.tags:
        assert tag in {"a", "br", "strong"}, html
        if tag == "a":
            assert set(attrs) == {"href", "rel"}, html
            assert re.match(r"https?://", attrs["href"], re.IGNORECASE), html
            assert attrs["rel"] == "nofollow noopener"
            assert not re.search(r"[\s\"'<>\\]", attrs["href"]), html
        elif tag == "strong":
            assert attrs == {"class": "mention"}
        else:
            assert attrs == {}
    return markup


def links_in(html: str) -> list[str]:
    return [attrs["href"] for tag, attrs in Markup(html).tags if tag == "a"]


def test_links_become_clickable_and_the_rest_stays_text():
    html = linkify("See https://example.com/a?b=1&c=2 or http://x.org.")

    assert html == (
        'See <a href="https://example.com/a?b=1&amp;c=2" rel="nofollow noopener">'
        "https://example.com/a?b=1&amp;c=2</a> or "
        '<a href="http://x.org" rel="nofollow noopener">http://x.org</a>.'
    )


@pytest.mark.parametrize(
    ("text", "links"),
    [
        ("javascript:alert(1)", []),
        ("JaVaScRiPt:alert(document.cookie)//https://ok.example", ["https://ok.example"]),
        ('<a href="javascript:alert(1)">x</a>', []),
        ("data:text/html,<script>alert(1)</script>", []),
        ("vbscript:msgbox(1) ftp://files.example www.example.com", []),
        ('https://x.example/"onmouseover="alert(1)', ["https://x.example/"]),
        ("https://x.example/'onclick='alert(1)'", ["https://x.example/%27onclick=%27alert(1)"]),
        ("https://x.example/<script>", ["https://x.example/"]),
        ("https://x.example/a\\b`c", ["https://x.example/a%5Cb%60c"]),
        ("xhttps://x.example", []),
        ("https://", []),
        ("https://...", []),
        (
            "(see https://en.wikipedia.org/wiki/Milk_(drink))",
            ["https://en.wikipedia.org/wiki/Milk_(drink)"],
        ),
        ("https://例え.jp/パス", ["https://%E4%BE%8B%E3%81%88.jp/%E3%83%91%E3%82%B9"]),
    ],
)
def test_hostile_text_is_escaped_and_only_web_links_are_made(text, links):
    html = linkify(text)

    markup = assert_safe(html)
    assert links_in(html) == links
    assert "<script" not in html
    if not links:
        assert markup.text == text


def test_line_breaks_are_kept_and_html_is_escaped():
    html = linkify('<b>bold</b> & "quoted"\nnext line\n\nlast')

    assert html == (
        "&lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;<br>\nnext line<br>\n<br>\nlast"
    )


def test_a_long_address_is_shown_short_and_linked_whole():
    url = "https://example.com/" + "a" * 100
    markup = Markup(linkify(url))

    assert markup.tags[0][1]["href"] == url
    assert markup.text == url[:59] + "…"


def test_only_the_mentions_a_comment_told_are_marked():
    html = linkify("@Sam and @vic and @nobody.", ["sam"])

    assert html == '<strong class="mention">@Sam</strong> and @vic and @nobody.'


@examples(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("ab@.:/()<>\"'&\n hHtTpPsS:?#=%\\")) | st.characters(),
        max_size=200,
    )
)
def test_any_text_gives_safe_markup_and_its_pieces_give_it_back(text):
    assert "".join(value for _, value in comments.pieces(text, ["a", "sam"])) == text
    assert_safe(linkify(text, ["a", "sam"]))


LINK_LIKE = [
    "http://" * 800,
    "https://a.b/(" * 400,
    "http://x" + ")" * 5000,
    "http://x" + "." * 5000,
    "@" * 5000,
    "@a." * 2000,
    "@sam" * 1500,
    "h" * 5000,
    "https://e.x/?q=a&b=c " * 250,
    "(https://w.x/a_(b)) " * 250,
]


def slowest(text: str, runs: int = 5) -> float:
    """The best of a few timings: what the work costs, without the machine's other load."""
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        linkify(text, ["sam", "a"])
        best = min(best, time.perf_counter() - start)
    return best


@pytest.mark.parametrize("pattern", LINK_LIKE, ids=range(len(LINK_LIKE)))
def test_showing_5000_characters_of_link_like_text_costs_time_in_proportion(pattern):
    long, short = pattern[:5000], pattern[:1250]

    long_time, short_time = slowest(long), slowest(short)

    print(f"{long[:12]!r}: {short_time * 1000:.2f} ms for 1,250, {long_time * 1000:.2f} for 5,000")
    assert long_time < 0.1
    # Four times the text: about four times the time, far from the sixteen of a square.
    assert long_time < 8 * short_time + 0.001


def test_initials_of_a_name_or_a_username():
    assert initials(UserFactory.build(username="sam", display_name="Sam Smith")) == "SS"
    assert initials(UserFactory.build(username="jo.ann")) == "JA"
    assert initials(UserFactory.build(username="vic")) == "V"
    assert initials(None) == "?"


# Pages


def add_url(task) -> str:
    return reverse("todos:comment_add", args=[task.pk])


def edit_url(comment) -> str:
    return reverse("todos:comment_edit", args=[comment.pk])


def delete_url(comment) -> str:
    return reverse("todos:comment_delete", args=[comment.pk])


def test_the_task_page_says_there_are_no_comments_yet(client_logged_in, shared):
    html = html_of(client_logged_in.get(shared["task"].get_absolute_url()))

    assert "No comments yet." in html
    assert '<label class="form-label" for="comment-add-body">Add a comment</label>' in html


def test_a_viewer_comments_and_is_sent_back_to_the_comments(client, shared):
    client.force_login(shared["viewer"])

    response = client.post(
        add_url(shared["task"]), {"body": "Which brand? See https://shop.example/milk"}
    )

    assert response.status_code == 302
    assert response.url == shared["task"].get_absolute_url() + "#comments"
    page = html_of(client.get(response.url))
    assert "Comment added." in page
    assert "Which brand? See" in page
    assert '<a href="https://shop.example/milk" rel="nofollow noopener">' in page
    assert count_of(shared["task"]) == 1


@pytest.mark.parametrize(("body", "error"), [("   ", comments.EMPTY), ("x" * 5001, "5,001")])
def test_a_bad_comment_shows_the_task_page_with_the_error_and_the_text_kept(
    client, shared, body, error
):
    client.force_login(shared["editor"])

    response = client.post(add_url(shared["task"]), {"body": body})

    html = html_of(response)
    assert response.status_code == 422
    assert '<h1 class="page-title task-title">Buy milk</h1>' in html
    assert error in html
    assert 'aria-invalid="true"' in html
    assert f">\n{body}</textarea>" in html
    assert not Comment.objects.exists()


def test_under_htmx_a_comment_swaps_in_the_comments_section(client, shared):
    client.force_login(shared["editor"])

    response = client.post(
        add_url(shared["task"]), {"body": "On it"}, headers={"HX-Request": "true"}
    )

    html = html_of(response)
    assert response.status_code == 200
    assert "<html" not in html
    assert html.lstrip().startswith('<section class="comments" id="comments"')
    assert "On it" in html
    assert "Comment added." in html  # the message, out of band
    assert ">\n</textarea>" in html  # an empty form for the next one


def test_under_htmx_a_bad_comment_answers_the_section_with_the_error(client, shared):
    client.force_login(shared["editor"])

    response = client.post(add_url(shared["task"]), {"body": " "}, headers={"HX-Request": "true"})

    assert response.status_code == 422
    assert "<html" not in html_of(response)
    assert comments.EMPTY in html_of(response)


def test_comment_add_refuses_get(client_logged_in, shared):
    assert client_logged_in.get(add_url(shared["task"])).status_code == 405


def test_strangers_get_404_and_change_nothing(client, shared, other_user):
    comment = comments.add(shared["task"], shared["editor"], "Buy oat milk")
    client.force_login(other_user)

    assert client.post(add_url(shared["task"]), {"body": "Hi"}).status_code == 404
    assert client.get(edit_url(comment)).status_code == 404
    assert client.post(edit_url(comment), {"body": "Hacked"}).status_code == 404
    assert client.get(delete_url(comment)).status_code == 404
    assert client.post(delete_url(comment)).status_code == 404
    comment.refresh_from_db()
    assert comment.body == "Buy oat milk"
    assert Comment.objects.count() == 1


def test_comments_on_a_task_in_the_trash_are_out_of_reach(client, shared):
    comment = comments.add(shared["task"], shared["editor"], "Buy oat milk")
    Task.objects.filter(pk=shared["task"].pk).update(deleted_at=timezone.now())
    client.force_login(shared["editor"])

    assert client.post(add_url(shared["task"]), {"body": "Hi"}).status_code == 404
    assert client.get(edit_url(comment)).status_code == 404


@pytest.mark.parametrize("who", ["owner", "viewer"])
def test_other_members_get_403_on_the_edit_page_and_change_nothing(client, shared, who):
    comment = comments.add(shared["task"], shared["editor"], "Buy oat milk")
    client.force_login(shared[who])

    assert client.get(edit_url(comment)).status_code == 403
    assert client.post(edit_url(comment), {"body": "Changed"}).status_code == 403
    comment.refresh_from_db()
    assert comment.body == "Buy oat milk"


def test_other_members_get_403_on_delete(client, shared):
    comment = comments.add(shared["task"], shared["owner"], "Buy oat milk")
    client.force_login(shared["editor"])

    assert client.get(delete_url(comment)).status_code == 403
    assert client.post(delete_url(comment)).status_code == 403
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_the_author_edits_on_a_page_prefilled_and_the_comment_shows_edited(client, shared):
    comment = comments.add(shared["task"], shared["editor"], "Buy <oat> milk")
    client.force_login(shared["editor"])

    form = client.get(edit_url(comment))
    assert form.status_code == 200
    assert ">\nBuy &lt;oat&gt; milk</textarea>" in html_of(form)

    response = client.post(edit_url(comment), {"body": "Buy soy milk"})
    assert response.url == shared["task"].get_absolute_url() + "#comments"
    page = html_of(client.get(response.url))
    assert "Buy soy milk" in page
    assert "· edited" in page
    assert "Comment saved." in page


def test_a_bad_edit_keeps_the_text_beside_the_error(client, shared):
    comment = comments.add(shared["task"], shared["editor"], "Buy oat milk")
    client.force_login(shared["editor"])

    response = client.post(edit_url(comment), {"body": "y" * 5001})

    assert response.status_code == 422
    assert "5,001" in html_of(response)
    assert f">\n{'y' * 5001}</textarea>" in html_of(response)


def test_an_edit_sent_after_15_minutes_is_refused_and_the_text_kept(client, shared):
    with freeze_time("2026-12-01 09:00:00"):
        comment = comments.add(shared["task"], shared["editor"], "Buy oat milk")
    client.force_login(shared["editor"])

    with freeze_time("2026-12-01 09:14:59"):
        assert client.get(edit_url(comment)).status_code == 200
    with freeze_time("2026-12-01 09:15:01"):
        page = client.get(edit_url(comment))
        refused = client.post(edit_url(comment), {"body": "Buy soy milk, please"})
        delete = client.post(delete_url(comment))

    assert page.status_code == 403
    assert refused.status_code == 403
    assert "for 15 minutes after it is written" in html_of(refused)
    assert "copy it into a new comment" in html_of(refused)
    assert ">\nBuy soy milk, please</textarea>" in html_of(refused)
    assert delete.status_code == 403
    comment.refresh_from_db()
    assert comment.body == "Buy oat milk"


def test_under_htmx_a_refusal_reloads_the_page_which_says_why(client, shared):
    with freeze_time("2026-12-01 09:00:00"):
        comment = comments.add(shared["task"], shared["editor"], "Buy oat milk")
    client.force_login(shared["editor"])
    htmx = {"HX-Request": "true"}

    with freeze_time("2026-12-01 09:20:00"):
        opened = client.get(edit_url(comment), headers=htmx)
        saved = client.post(edit_url(comment), {"body": "Buy soy milk"}, headers=htmx)
        deleted = client.post(delete_url(comment), headers=htmx)
        page = client.get(shared["task"].get_absolute_url())

    assert (opened.status_code, opened["HX-Refresh"]) == (403, "true")
    assert (deleted.status_code, deleted["HX-Refresh"]) == (403, "true")
    # What was typed is never thrown away: the form comes back with the reason.
    assert saved.status_code == 422
    assert ">\nBuy soy milk</textarea>" in html_of(saved)
    assert html_of(page).count("for 15 minutes after it is written") == 1
    assert Comment.objects.get().body == "Buy oat milk"


def test_under_htmx_the_edit_form_comes_alone_and_a_bad_edit_answers_in_its_place(client, shared):
    comment = comments.add(shared["task"], shared["editor"], "Buy oat milk")
    client.force_login(shared["editor"])
    htmx = {"HX-Request": "true"}

    form = client.get(edit_url(comment), headers=htmx)
    bad = client.post(edit_url(comment), {"body": ""}, headers=htmx)
    good = client.post(edit_url(comment), {"body": "Buy soy milk"}, headers=htmx)

    assert html_of(form).startswith(f'<form method="post" action="{edit_url(comment)}"')
    assert "autofocus" in html_of(form)
    assert bad.status_code == 422
    assert bad["HX-Retarget"] == f"#comment-{comment.pk}-form"
    assert comments.EMPTY in html_of(bad)
    assert good.status_code == 200
    assert html_of(good).lstrip().startswith('<section class="comments" id="comments"')
    assert "Buy soy milk" in html_of(good)


def test_the_author_deletes_after_a_confirmation_page(client, shared):
    comment = comments.add(shared["task"], shared["viewer"], "Buy oat milk")
    client.force_login(shared["viewer"])

    confirm = client.get(delete_url(comment))
    assert "Delete this comment?" in html_of(confirm)
    assert "Buy oat milk" in html_of(confirm)

    response = client.post(delete_url(comment))
    assert response.url == shared["task"].get_absolute_url() + "#comments"
    assert "Comment deleted." in html_of(client.get(response.url))
    assert count_of(shared["task"]) == 0


def test_the_owner_deletes_a_members_comment_a_day_later(client, shared):
    with freeze_time("2026-12-01 09:00:00"):
        comment = comments.add(shared["task"], shared["editor"], "Buy oat milk")
    client.force_login(shared["owner"])

    with freeze_time("2026-12-02 09:00:00"):
        response = client.post(delete_url(comment), headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert "No comments yet." in html_of(response)
    assert not Comment.objects.exists()


def actions_seen(client, person, comment) -> set[str]:
    client.force_login(person)
    html = html_of(client.get(comment.task.get_absolute_url()))
    return {
        name
        for name, url in [("edit", edit_url(comment)), ("delete", delete_url(comment))]
        if url in html
    }


def test_edit_and_delete_show_only_to_who_may_use_them(client, shared):
    with freeze_time("2026-12-01 09:00:00"):
        comment = comments.add(shared["task"], shared["editor"], "Buy oat milk")

    with freeze_time("2026-12-01 09:10:00"):
        assert actions_seen(client, shared["editor"], comment) == {"edit", "delete"}
        assert actions_seen(client, shared["owner"], comment) == {"delete"}
        assert actions_seen(client, shared["viewer"], comment) == set()
    with freeze_time("2026-12-01 09:20:00"):
        assert actions_seen(client, shared["editor"], comment) == set()


def test_a_comment_shows_its_author_with_initials_and_a_former_member(client, shared):
    comments.add(shared["task"], shared["editor"], "@ada on it")
    comments.add(shared["task"], shared["viewer"], "Thanks")
    shared["viewer"].delete()
    client.force_login(shared["owner"])

    html = html_of(client.get(shared["task"].get_absolute_url()))

    assert '<span class="comment-avatar" aria-hidden="true">SS</span>' in html
    assert '<span class="comment-author">Sam Smith</span>' in html
    assert '<strong class="mention">@ada</strong> on it' in html
    assert '<span class="comment-author">A former member</span>' in html
    assert '<span class="comment-avatar" aria-hidden="true">?</span>' in html


def task_page_queries(client, task) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(task.get_absolute_url()).status_code == 200
    return len(queries)


def test_the_task_page_reads_its_comments_in_one_query_however_many(client, shared):
    quiet = TaskFactory(project=shared["task"].project)
    people = [UserFactory() for _ in range(20)]
    for person in people:
        MembershipFactory(project=shared["task"].project, user=person, role=Role.VIEWER)
    for n in range(100):
        comments.add(
            shared["task"], people[n % 20], f"Number {n}: https://example.com/{n} @{people[0]}"
        )
    client.force_login(shared["owner"])
    task_page_queries(client, quiet)  # warm the sidebar cache for both

    assert task_page_queries(client, shared["task"]) == task_page_queries(client, quiet)
    assert html_of(client.get(shared["task"].get_absolute_url())).count('class="comment"') == 100


def test_comment_pages_are_valid_html(client, shared, java):
    task = shared["task"]
    mine = comments.add(
        task, shared["editor"], 'See <https://shop.example/?a=1&b="2"> @ada\nthanks'
    )
    comments.edit(mine, shared["editor"], mine.body + "!")
    comments.add(task, shared["viewer"], "Gone soon")
    shared["viewer"].delete()
    client.force_login(shared["editor"])
    documents = {
        "task with comments": client.get(task.get_absolute_url()),
        "comment error": client.post(add_url(task), {"body": " "}),
        "edit comment": client.get(edit_url(mine)),
        "edit comment error": client.post(edit_url(mine), {"body": ""}),
        "delete comment": client.get(delete_url(mine)),
    }
    client.force_login(shared["owner"])
    documents["task without comments"] = client.get(
        TaskFactory(project=task.project).get_absolute_url()
    )

    assert html_errors(java, {name: html_of(page) for name, page in documents.items()}) == []


# Admin


def test_staff_find_comments_and_deleting_one_keeps_the_count(admin_client, shared):
    comment = comments.add(shared["task"], shared["editor"], "Buy oat milk")
    comments.add(shared["task"], shared["editor"], "Something else")

    found = admin_client.get(reverse("admin:todos_comment_changelist"), {"q": "oat"})
    change = admin_client.get(reverse("admin:todos_comment_change", args=[comment.pk]))
    deleted = admin_client.post(
        reverse("admin:todos_comment_delete", args=[comment.pk]), {"post": "yes"}
    )

    assert "Buy oat milk" in html_of(found)
    assert "Something else" not in html_of(found)
    assert '<textarea name="body"' not in html_of(change)
    assert deleted.status_code == 302
    assert count_of(shared["task"]) == 1
    assert admin_client.get(reverse("admin:todos_comment_add")).status_code == 403


def test_staff_deleting_several_keeps_the_count(admin_client, shared):
    kept = comments.add(shared["task"], shared["editor"], "Keep")
    gone = [comments.add(shared["task"], shared["viewer"], f"Spam {n}") for n in range(3)]

    admin_client.post(
        reverse("admin:todos_comment_changelist"),
        {"action": "delete_selected", "_selected_action": [c.pk for c in gone], "post": "yes"},
    )

    assert list(Comment.objects.all()) == [kept]
    assert count_of(shared["task"]) == 1
