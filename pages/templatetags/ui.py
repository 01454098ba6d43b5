"""Interface pieces every template uses."""

import re
from functools import cache

from django import template
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()

SPRITE = "img/icons.svg"
DECORATION = SafeString(' aria-hidden="true"')


@cache
def sprite_icons() -> frozenset[str]:
    """Return the names of the icons in the sprite that bin/build-assets.mjs writes."""
    with open(finders.find(SPRITE), encoding="utf-8") as sprite:
        return frozenset(re.findall(r'<symbol id="([^"]+)"', sprite.read()))


@register.simple_tag
def icon(name: str, label: str = ""):
    """Draw an icon from the sprite; it is decoration unless given a label.

    An icon the sprite lacks raises, as {% static %} does for a missing file: the
    sprite holds only the names the templates use, so the build must run again.
    Its size comes from the stylesheet (.icon), which the page waits for; a lone
    self-closed <use/> is valid in an <svg>, which HTML parses as SVG.
    """
    if name not in sprite_icons():
        raise ValueError(
            f"No icon {name!r} in static/{SPRITE}: run 'make assets' to rebuild the sprite."
        )
    role = format_html(' role="img" aria-label="{}"', label) if label else DECORATION
    return format_html(
        '<svg class="icon"{}><use href="{}#{}"/></svg>',
        role,
        static(SPRITE),
        name,
    )
