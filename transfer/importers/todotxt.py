"""Read a todo.txt file: `x` done, dates, (A)-(D) priorities, +project, @context, due:."""

from datetime import UTC, date, datetime

from transfer.plan import Plan, PlannedTask, Problem

PRIORITIES = {"A": 1, "B": 2, "C": 3, "D": 4}


def _date(word: str) -> date | None:
    if len(word) != 10:
        return None
    try:
        return date.fromisoformat(word)
    except ValueError:
        return None


def read(text: str, *, now: datetime, **context) -> Plan:
    plan = Plan()
    for number, line in enumerate(text.splitlines(), 1):
        words = line.split()
        if not words:
            continue
        done = words[0] == "x"
        if done:
            words = words[1:]
        priority = 4
        if words and len(words[0]) == 3 and words[0][0] == "(" and words[0][2] == ")":
            letter = words.pop(0)[1]
            priority = PRIORITIES.get(letter, 4)
            if letter not in PRIORITIES:
                plan.problems.append(Problem(number, f"Priority ({letter}) kept as priority 4."))
        completed = created = None
        if words and (first := _date(words[0])):
            words.pop(0)
            if done and words and (second := _date(words[0])):
                words.pop(0)
                completed, created = first, second
            elif done:
                completed = first
            else:
                created = first
        task = PlannedTask(line=number, title="", priority=priority)
        title = []
        for word in words:
            if word.startswith("+") and len(word) > 1 and task.project == "Inbox":
                task.project = plan.project(word[1:], number)
            elif word.startswith("@") and len(word) > 1:
                if tag := plan.tag(word[1:], number):
                    task.tags.append(tag)
            elif word.startswith("due:"):
                if (due := _date(word[4:])) is None:
                    plan.problems.append(Problem(number, f"Could not read “{word[:40]}”."))
                else:
                    task.due_date = due
            else:
                title.append(word)
        task.title = " ".join(title)
        if done:
            day = completed or now.date()
            task.completed_at = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
        if created:
            task.created_at = datetime(created.year, created.month, created.day, 12, tzinfo=UTC)
        plan.add(task)
    return plan
