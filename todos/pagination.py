"""Pages of long lists at a cost that does not grow with the list."""

from math import ceil

from django.http import QueryDict

# Past this page number nobody is paging by hand; a larger one is read as page 1,
# and no database is asked for an offset it cannot hold.
MAX_PAGE = 100_000


def page_number(value) -> int:
    """Return a page number from a query string value: 1 unless it is a sane page number."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return number if 1 <= number <= MAX_PAGE else 1


class ListPage:
    """A page of a list that is never counted: one row more than it shows says if more follow.

    Task lists need no total (the sidebar counts open tasks), so they save the count
    query a Paginator runs; search, which says how many it found, uses CountedPage.
    `param` names the page's number in the query string: a page with two lists
    pages each on its own, and each list's links keep the other's place.
    """

    is_exact = False
    param = "page"
    query = QueryDict()

    def __init__(self, queryset, per_page: int, number: int = 1, *, param="page", query=None):
        self.param = param
        if query is not None:
            self.query = query
        rows = list(queryset[(number - 1) * per_page : number * per_page + 1])
        if not rows and number > 1:
            # Past the end (an old link, a hand-typed number): the first page instead.
            number, rows = 1, list(queryset[: per_page + 1])
        self.number = number
        self.object_list = rows[:per_page]
        self._more = len(rows) > per_page

    @property
    def paginator(self) -> "ListPage":
        return self

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def has_next(self) -> bool:
        return self._more

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self._more or self.number > 1

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1

    def _url(self, number: int) -> str:
        query = self.query.copy()
        query[self.param] = str(number)
        return f"?{query.urlencode()}"

    @property
    def previous_url(self) -> str:
        return self._url(self.number - 1)

    @property
    def next_url(self) -> str:
        return self._url(self.number + 1)


class CountedPage(ListPage):
    """A page of a list that also says how long the list is, up to `bound` rows.

    Counting and then fetching a page read every matching row twice (search reads
    each title and note); here one pass reads the ids of the list in order, up to
    just past the bound or the page, which gives the total and the page's ids, and
    the page's rows are then fetched by id. Past the bound the total reads "1,000+".
    """

    def __init__(self, queryset, per_page: int, number: int = 1, *, bound: int = 1000, query=None):
        if query is not None:
            self.query = query
        self.limit = max(bound, (number + 1) * per_page)
        ids = list(queryset.values_list("pk", flat=True)[: self.limit + 1])
        self.count = len(ids)
        self.per_page = per_page
        if not ids[(number - 1) * per_page : number * per_page]:
            # Past the end (an old link, a hand-typed number): the last page instead.
            number = self.num_pages
        self.number = number
        shown = ids[(number - 1) * per_page : number * per_page]
        # Unordered, so the database looks the ids up instead of walking the list again.
        by_id = {row.pk: row for row in queryset.filter(pk__in=shown).order_by()} if shown else {}
        self.object_list = [by_id[pk] for pk in shown if pk in by_id]
        self._more = len(ids) > number * per_page

    @property
    def is_exact(self) -> bool:
        return self.count <= self.limit

    @property
    def num_pages(self) -> int:
        return max(1, ceil(min(self.count, self.limit) / self.per_page))

    @property
    def total_label(self) -> str:
        """Return the total for people: exact, or "1,000+" past the bound."""
        return f"{self.count:,}" if self.is_exact else f"{self.limit:,}+"
