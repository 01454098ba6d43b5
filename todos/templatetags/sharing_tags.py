"""The people of a shared project, as its pages show them."""

from django import template

from todos import sharing

register = template.Library()

# Avatars shown in a project's header; the rest are counted ("+3").
AVATARS = 4


@register.simple_tag
def people_in(project) -> list[sharing.Person]:
    """Return the project's owner and members (one query)."""
    return sharing.people_in(project)


@register.filter
def as_role(role: str) -> str:
    return sharing.as_role(role)


@register.filter
def role_powers(role: str) -> str:
    return sharing.ROLE_POWERS[role]


@register.inclusion_tag("todos/_members_link.html", takes_context=True)
def members_link(context, project):
    """Draw the header's link to a project's members: their initials, and Share or Members."""
    people = sharing.people_in(project)
    shown = people[:AVATARS]
    names = ", ".join(person.name for person in shown)
    if len(people) > AVATARS:
        names += f" and {len(people) - AVATARS} more"
    return {
        "project": project,
        "shown": shown,
        "more": len(people) - len(shown),
        "count": len(people),
        "names": names,
        "is_owner": project.owner_id == context["user"].pk,
    }
