"""Search's words, matched through an index, and its page, at a cost that stays flat.

A task matches when every word of the query is in its title or its notes, as
Django's `icontains` compares them: ASCII letters folded on SQLite, all of Unicode
on PostgreSQL. That stays the rule; the indexes only find the candidates faster.

- PostgreSQL: trigram (pg_trgm) indexes on the very expressions icontains
  compares, UPPER(title) and UPPER(notes), so the planner reads them for the
  same lookups (migration 0011).
- SQLite: an FTS5 table with the trigram tokenizer over title and notes. Its
  folding is a superset of LIKE's, so its matches are narrowed by the same
  icontains afterwards. Each word goes in as one quoted string, so nothing a
  person types is read as FTS syntax (AND, NEAR, *, -, :, ^, parentheses).

A trigram index cannot find a word shorter than three characters: such words
filter what the longer words found, and a query of short words only is matched
as before, row by row, which stops early because such words match most tasks.
"""

from django.db import connections
from django.db.models import BooleanField, ExpressionWrapper, F, Q, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import StrIndex, Upper
from django.db.models.lookups import GreaterThan

from todos.pagination import CountedPage
from todos.querysets import WITHOUT_TIME

# How many tasks are read to tell a common word (search.common).
PROBE = 3000
# The shortest word a trigram index can find.
SHORTEST_INDEXED = 3
FTS_TABLE = "todos_task_fts"
IN_FTS = "SELECT rowid FROM todos_task_fts WHERE todos_task_fts MATCH %s"

# Search's order: open tasks first, by day as Today lists them (undated last), then
# completed ones, oldest first. The same order in SQL and in Python (sort_key).
ORDER = (
    F("completed_at").asc(nulls_first=True),
    F("due_date").asc(nulls_last=True),
    WITHOUT_TIME,
    "due_time",
    "priority",
    "position",
    "pk",
)
KEY = ("pk", "completed_at", "due_date", "due_time", "priority", "position")
# Stretches of that order that each follow an index (todos_task_open_due_idx,
# todos_task_completed_idx), so a list of many matches is read in order and stops.
STRETCHES = (
    (Q(completed_at__isnull=True, due_date__isnull=False), ORDER[1:]),
    (Q(completed_at__isnull=True, due_date__isnull=True), ORDER[2:]),
    # Plain ascending (no NULLS FIRST), so the descending index is read backwards.
    (Q(completed_at__isnull=False), ("completed_at", *ORDER[1:])),
)


def sort_key(row: tuple) -> tuple:
    """Return the place of a (KEY) row in search's order."""
    pk, completed_at, due_date, due_time, priority, position = row
    return (
        (0,) if completed_at is None else (1, completed_at),
        (1,) if due_date is None else (0, due_date),
        (1,) if due_time is None else (0, due_time),
        priority,
        position,
        pk,
    )


def matching(tasks, q: str, *, indexed: bool = True):
    """Return the tasks with every word of `q` in the title or the notes.

    `indexed=False` leaves SQLite's FTS table out, for reading tasks in order
    and stopping early, matching them row by row.
    """
    words = words_of(q)
    vendor = connections[tasks.db].vendor
    if not indexed and vendor == "postgresql":
        # What icontains compares there, UPPER(column) holding UPPER(word), in a form
        # the trigram indexes do not serve: PostgreSQL would read them anyway.
        for word in words:
            tasks = tasks.filter(
                Q(holds("title", word)) | (~Q(notes="") & Q(holds("notes", word)))
            )
    elif words:
        tasks = tasks.filter(words_match(q))
    long_words = [word for word in words if len(word) >= SHORTEST_INDEXED]
    if indexed and long_words and vendor == "sqlite":
        # The tasks are then looked up by the ids found, with or without table
        # statistics (a join is read the wrong way round without them). The words
        # are a parameter, never SQL.
        tasks = tasks.filter(pk__in=RawSQL(IN_FTS, [fts_query(long_words)]))  # noqa: S611
    return tasks


def words_of(q: str) -> list[str]:
    """Return the words of `q`, each once: a word twice asks nothing more, and costs twice."""
    return list(dict.fromkeys(q.split()))


def words_match(q: str) -> Q:
    """Return the condition that every word of `q` is in the title or the notes (icontains)."""
    condition = Q()
    for word in words_of(q):
        # "Notes not empty" lets PostgreSQL read the partial index of notes.
        condition &= Q(title__icontains=word) | (~Q(notes="") & Q(notes__icontains=word))
    return condition


def holds(column: str, word: str) -> GreaterThan:
    return GreaterThan(StrIndex(Upper(column), Upper(Value(word))), 0)


def fts_query(words: list[str]) -> str:
    """Return an FTS5 query that finds every word as a literal substring.

    A string in double quotes is one phrase, its own quotes doubled; the trigram
    tokenizer makes a phrase a substring of either column.
    """
    return " AND ".join('"{}"'.format(word.replace('"', '""')) for word in words)


def in_order(tasks, count: int) -> list[int]:
    """Return the ids of the first `count` of `tasks` in search's order.

    Each stretch of the order follows an index and stops at `count`; `tasks` are
    matched row by row (indexed=False), which the planner cannot serve from a
    trigram index, so it walks the order's index. Called only past the bound,
    where the matches are many and a page's worth turns up soon.
    """
    ids: list[int] = []
    for part, order in STRETCHES:
        found = tasks.filter(part).order_by(*order).values_list("pk", flat=True)
        ids += found[: count - len(ids)]
        if len(ids) == count:
            break
    return ids


def common(search, q: str, count: int) -> list[tuple]:
    """Return `count` matches among the first PROBE tasks read, when there are that many.

    Words that common make an index read most of the table (PostgreSQL's guess of
    a trigram's matches runs low, so it reads the index anyway), while the person's
    first few thousand tasks already hold more than the bound. Those are read as
    they come, each with whether its words match, so no index is asked.
    """
    if not q.split():
        return []
    hit = ExpressionWrapper(words_match(q), output_field=BooleanField())
    first = search(q="").order_by().annotate(hit=hit).values_list(*KEY, "hit")[:PROBE]
    keys = [row[:-1] for row in first if row[-1]][:count]
    return keys if len(keys) == count else []


class SearchPage(CountedPage):
    """A page of search results: found through the index, ordered here when few.

    The index gives the matches in no useful order. Up to the bound (1,000) they
    are all read, in one query, and sorted here: the total is exact. Past it the
    total reads "1,000+", and only the page is read, in order (in_order): with
    that many matches a page's worth turns up soon, whatever the size of the
    account. Nothing counts or sorts every match.

    `search` returns the tasks for some words: search_tasks with the filters.
    """

    def __init__(self, search, per_page: int, number: int = 1, *, q="", bound=1000, query=None):
        if query is not None:
            self.query = query
        self.per_page = per_page
        self.limit = max(bound, (number + 1) * per_page)
        keys = common(search, q, self.limit + 1)
        if len(keys) <= self.limit:
            keys = list(search(q=q).order_by().values_list(*KEY)[: self.limit + 1])
        self.count = len(keys)
        number = min(number, self.num_pages)
        rowwise = search(q=q, indexed=False)
        if self.is_exact:
            ids = [key[0] for key in sorted(keys, key=sort_key)]
        else:
            ids = in_order(rowwise, number * per_page + 1)
        self.number = number
        shown = ids[(number - 1) * per_page : number * per_page]
        # Unordered, so the database looks the ids up instead of walking the list again.
        rows = rowwise.filter(pk__in=shown).order_by().as_rows() if shown else ()
        by_id = {row.pk: row for row in rows}
        self.object_list = [by_id[pk] for pk in shown if pk in by_id]
        self._more = len(ids) > number * per_page
