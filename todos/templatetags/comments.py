"""Showing comments: plain text made safe HTML, with its links clickable and members' mentions marked."""

from urllib.parse import quote

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString

from todos import comments, history, rows

register = template.Library()

# What a link's address keeps as it is; the rest (quotes, backslashes, backticks,
# control and non-ASCII characters) is percent-encoded, so the address means
# what it says to every browser.
URL_SAFE = "/:?#[]@!$&()*+,;=-._~%"
# Longer addresses are shown cut short, whole in the link.
SHOWN = 60


def _link(url: str) -> str:
    shown = url if len(url) <= SHOWN else f"{url[: SHOWN - 1]}…"
    href = escape(quote(url, safe=URL_SAFE))
    return f'<a href="{href}" rel="nofollow noopener">{escape(shown)}</a>'


@register.filter
def linkify(text, mentioned=()) -> SafeString:
    """Turn a comment's text into HTML: escaped, its http(s) links clickable, line breaks kept.

    `mentioned` are the people the comment told (casefolded usernames, its
    `mentioned`): their @mentions are marked.
    """
    text = str(text).replace("\r\n", "\n").replace("\r", "\n")
    html = []
    for kind, value in comments.pieces(text, mentioned or ()):
        if kind == "link":
            html.append(_link(value))
        elif kind == "mention":
            html.append(f'<strong class="mention">@{escape(value)}</strong>')
        else:
            html.append(escape(value))
    # No piece's markup holds a line break: each one left is the text's own.
    return SafeString("".join(html).replace("\n", "<br>\n"))


@register.filter
def initials(user) -> str:
    """Return up to two letters for a person's avatar, as rows and member lists show them."""
    return rows.initials_of(user.name) if user is not None else "?"


@register.filter
def author_name(user) -> str:
    """Return how a comment names its author, "A former member" once their account is gone."""
    return history.name_of(user)
