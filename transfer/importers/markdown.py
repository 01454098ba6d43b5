"""Read a Markdown checklist: `- [ ] task`, `- [x] done`, indented sub-tasks, `#` projects."""

import re
from datetime import datetime

from todos.models import INBOX_NAME
from transfer.plan import Plan, PlannedTask, Problem

ITEM = re.compile(r"([ \t]*)[-*+] \[([ xX])\] ?(.*)")
HEADING = re.compile(r"#{1,6}[ \t]+(.*)")


def read(text: str, *, now: datetime, **context) -> Plan:
    plan = Plan()
    project = INBOX_NAME
    last_top = None
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        if heading := HEADING.fullmatch(line):
            project = plan.project(heading.group(1).strip().rstrip("#").strip(), number)
            last_top = None
            continue
        item = ITEM.fullmatch(line)
        if item is None:
            plan.problems.append(Problem(number, "Not a checklist item (- [ ] …): skipped."))
            continue
        indent, box, title = item.groups()
        task = PlannedTask(
            line=number,
            title=title,
            project=project,
            completed_at=now if box in "xX" else None,
        )
        if indent and last_top is not None:
            task.parent = last_top
        index = plan.add(task)
        if index is not None and task.parent is None:
            last_top = index
    return plan
