"""Read a Todoist project CSV (TYPE, CONTENT, DESCRIPTION, PRIORITY, INDENT, DATE, ...).

Todoist's own exports number PRIORITY as its API does, 4 for p1 (urgent) down
to 1 for p4, though its help page for hand-made files numbers them the other way:
Ticklist reads the exports, so PRIORITY n is Ticklist's priority 5 - n.
"""

import csv
import re
from datetime import datetime

from reminders.schedule import zone_named
from todos.quickadd import parse
from transfer.plan import Plan, PlannedTask, Problem, Unreadable

LABEL = re.compile(r"(?<!\S)@([^\s@]+)")
REQUIRED = ("TYPE", "CONTENT")


def read(text: str, *, now: datetime, timezone: str = "UTC", name: str = "", **context) -> Plan:
    # A cell may hold a whole file: the csv module's default cap is 128 KB.
    csv.field_size_limit(len(text) + 1)
    rows = csv.reader(text.splitlines(keepends=True))
    try:
        header = [cell.strip().upper() for cell in next(rows)]
    except (StopIteration, csv.Error):
        raise Unreadable("The file has no header row of Todoist columns.") from None
    if not set(REQUIRED) <= set(header):
        raise Unreadable(
            "This is not a Todoist CSV: the first row must name the columns TYPE and CONTENT."
        )
    column = {name: header.index(name) for name in header}
    plan = Plan()
    base = name or "Todoist"
    project = plan.project(base)
    tz = zone_named(timezone)
    last_top = last = None
    try:
        for number, row in enumerate(rows, 2):
            cells = {key: row[i].strip() if i < len(row) else "" for key, i in column.items()}
            kind = cells["TYPE"].lower()
            if not any(cells.values()):
                continue
            if kind == "section":
                project = plan.project(f"{base} / {cells['CONTENT']}", number)
                last_top = last = None
            elif kind == "note":
                if last is None:
                    plan.problems.append(Problem(number, "A note before any task was skipped."))
                elif cells["CONTENT"]:
                    plan.tasks[last].comments.append(
                        {"body": cells["CONTENT"][:5000], "mine": True}
                    )
            elif kind == "task":
                last = _task(plan, cells, number, project, last_top, now, tz)
                if last is not None and plan.tasks[last].parent is None:
                    last_top = last
            else:
                plan.problems.append(
                    Problem(number, f"Unknown TYPE “{cells['TYPE'][:30]}”: the row was skipped.")
                )
    except csv.Error as error:
        raise Unreadable(f"The CSV cannot be read past line {rows.line_num}: {error}.") from None
    return plan


def _task(plan, cells, number, project, last_top, now, tz) -> int | None:
    tags = [tag for label in LABEL.findall(cells["CONTENT"]) if (tag := plan.tag(label))]
    task = PlannedTask(
        line=number,
        title=LABEL.sub("", cells["CONTENT"]),
        project=project,
        notes=cells.get("DESCRIPTION", ""),
        tags=tags,
    )
    priority = cells.get("PRIORITY", "")
    if priority in ("1", "2", "3", "4"):
        task.priority = 5 - int(priority)
    elif priority:
        plan.problems.append(
            Problem(number, f"PRIORITY “{priority[:10]}” is not 1 to 4: left at 4.")
        )
    indent = cells.get("INDENT", "")
    if indent and indent != "1":
        if last_top is None or not indent.isdigit():
            plan.problems.append(Problem(number, "An indented task with no task above it: kept."))
        else:
            task.parent = last_top
    if date := cells.get("DATE", ""):
        # A title first, so the parser reads the whole cell as the date.
        read = parse(f"task {date[:200]}", now, tz, ())
        if read.due_date is None:
            plan.problems.append(Problem(number, f"Could not read the date “{date[:40]}”."))
        else:
            task.due_date, task.due_time = read.due_date, read.due_time
            if read.repeat is not None:
                task.recurrence, task.recurrence_mode = read.repeat.rule, read.repeat.mode
    return plan.add(task)
