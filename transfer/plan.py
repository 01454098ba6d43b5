"""What an import will create, read from a file before anything is written.

Every importer turns its format into a Plan; `transfer.writer` writes a Plan
through the same services as the web pages. What a file holds that Ticklist
cannot keep is a Problem with its line number, shown in the preview.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from todos.dates import in_due_range
from todos.models import INBOX_NAME, Colour
from todos.recurrence import InvalidRule, Mode, normalise

MAX_BYTES = 10 * 1024 * 1024
# A file of more tasks is refused, with a message asking to split it.
MAX_TASKS = 50_000
MAX_TITLE = 500
MAX_NOTES = 10_000
MAX_PROJECT = 100
MAX_TAG = 50


class Unreadable(Exception):
    """The file as a whole cannot be imported; the message says why, for the person."""


@dataclass
class Problem:
    line: int
    message: str


@dataclass
class PlannedProject:
    name: str
    colour: str = Colour.GREY
    position: int | None = None
    is_inbox: bool = False
    is_archived: bool = False
    is_favourite: bool = False
    created_at: datetime | None = None


@dataclass
class PlannedTask:
    line: int
    title: str
    project: str = INBOX_NAME
    parent: int | None = None  # index in Plan.tasks
    notes: str = ""
    due_date: date | None = None
    due_time: time | None = None
    priority: int = 4
    tags: list[str] = field(default_factory=list)
    recurrence: str = ""
    recurrence_mode: str = Mode.SCHEDULE
    position: int | None = None
    completed_at: datetime | None = None
    deleted_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    assigned_to_me: bool = False
    completions: list[dict] = field(default_factory=list)
    comments: list[dict] = field(default_factory=list)
    reminders: list[dict] = field(default_factory=list)


@dataclass
class Plan:
    projects: dict[str, PlannedProject] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)  # name -> colour
    tasks: list[PlannedTask] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    profile: dict | None = None
    notices: list[str] = field(default_factory=list)

    def project(self, name: str, line: int = 0) -> str:
        """Return the name the plan files tasks under, adding the project the first time."""
        name = " ".join(name.split())
        if not name or name.casefold() == INBOX_NAME.casefold():
            self.projects.setdefault(INBOX_NAME, PlannedProject(INBOX_NAME, is_inbox=True))
            return INBOX_NAME
        if len(name) > MAX_PROJECT:
            self.problems.append(
                Problem(line, f"Project name shortened to {MAX_PROJECT} letters.")
            )
            name = name[:MAX_PROJECT]
        for known in self.projects:
            if known.casefold() == name.casefold():
                return known
        self.projects[name] = PlannedProject(name)
        return name

    def tag(self, name: str, line: int = 0) -> str | None:
        name = name.strip()[:MAX_TAG]
        if not name:
            return None
        for known in self.tags:
            if known.casefold() == name.casefold():
                return known
        self.tags[name] = Colour.GREY
        return name

    def add(self, task: PlannedTask) -> int | None:
        """Check the task as the task form would, keep it if it can be kept; return its index."""
        if len(self.tasks) >= MAX_TASKS:
            raise Unreadable(
                f"The file has more than {MAX_TASKS:,} tasks; split it into smaller files."
            )
        task.project = self.project(task.project, task.line)
        task.title = " ".join(task.title.split())
        if not task.title:
            self.problems.append(Problem(task.line, "A task without a title was skipped."))
            return None
        if len(task.title) > MAX_TITLE:
            self.problems.append(Problem(task.line, f"Title shortened to {MAX_TITLE} letters."))
            task.title = task.title[:MAX_TITLE]
        if len(task.notes) > MAX_NOTES:
            self.problems.append(Problem(task.line, f"Notes shortened to {MAX_NOTES:,} letters."))
            task.notes = task.notes[:MAX_NOTES]
        if task.due_date is not None and not in_due_range(task.due_date):
            self.problems.append(Problem(task.line, "Due date outside 1900 to 2200 left out."))
            task.due_date = task.due_time = None
        if task.due_date is None:
            task.due_time = None
        if task.recurrence:
            try:
                task.recurrence = normalise(task.recurrence)
            except InvalidRule:
                self.problems.append(
                    Problem(task.line, "A repeat Ticklist cannot follow left out.")
                )
                task.recurrence = ""
            if task.due_date is None:
                task.recurrence = ""
        if task.recurrence_mode not in dict(Mode.CHOICES):
            task.recurrence_mode = Mode.SCHEDULE
        if task.priority not in (1, 2, 3, 4):
            task.priority = 4
        if task.parent is not None:
            # Sub-tasks go one level deep, in their parent's project.
            parent = self.tasks[task.parent]
            if parent.parent is not None:
                task.parent = parent.parent
            task.project = self.tasks[task.parent].project
        self.tasks.append(task)
        return len(self.tasks) - 1

    @property
    def empty(self) -> bool:
        projects = any(not project.is_inbox for project in self.projects.values())
        return not (self.tasks or self.tags or projects or self.profile)

    @property
    def counts(self) -> dict[str, int]:
        return {
            "projects": sum(1 for project in self.projects.values() if not project.is_inbox),
            "tasks": sum(1 for task in self.tasks if task.parent is None),
            "sub-tasks": sum(1 for task in self.tasks if task.parent is not None),
            "tags": len(self.tags),
            "completions": sum(len(task.completions) for task in self.tasks),
            "comments": sum(len(task.comments) for task in self.tasks),
            "reminders": sum(len(task.reminders) for task in self.tasks),
        }

    @property
    def described(self) -> list[str]:
        return described(self.counts)


def described(counts: dict[str, int]) -> list[str]:
    """Say each count in words: "1 task", "3 sub-tasks" (the names are plurals in -s)."""
    return [f"{n} {name if n != 1 else name[:-1]}" for name, n in counts.items() if n]


def decode(data: bytes) -> str:
    """Return the file's text, or say why it cannot be read."""
    if not data.strip():
        raise Unreadable("The file is empty.")
    if len(data) > MAX_BYTES:
        raise Unreadable("The file is larger than 10 MB.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise Unreadable(f"The file is not UTF-8 text (line {line}); save it as UTF-8.") from None
