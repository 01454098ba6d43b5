"""One reader per format a person can import; each turns text into a transfer.plan.Plan."""

from transfer.importers import markdown, ticklist, todoist, todotxt

FORMATS = {
    "ticklist": ("Ticklist export (JSON)", ticklist.read),
    "todoist": ("Todoist CSV", todoist.read),
    "todotxt": ("todo.txt", todotxt.read),
    "markdown": ("Markdown checklist", markdown.read),
}
CHOICES = [(key, label) for key, (label, _) in FORMATS.items()]


def read(format: str, text: str, **context):
    """Return the Plan the text gives in this format (Unreadable when it gives none)."""
    return FORMATS[format][1](text, **context)
