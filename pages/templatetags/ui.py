"""Interface pieces every template uses (a stand-in until the icon sprite lands)."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def icon(name: str, label: str = ""):
    if label:
        return format_html('<i class="bi bi-{}" role="img" aria-label="{}"></i>', name, label)
    return format_html('<i class="bi bi-{}" aria-hidden="true"></i>', name)
