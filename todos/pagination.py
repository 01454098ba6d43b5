"""Pages of long lists at a cost that does not grow with the list."""

from functools import cached_property

from django.core.paginator import Paginator


class BoundedPaginator(Paginator):
    """Count a list only as far as the page asked for, or up to `floor` rows.

    An exact total of 100,000 matching rows would scan all of them on every page
    view; past the bound the total reads "1,000+" and Next still works.
    """

    def __init__(self, object_list, per_page, *, number: int = 1, floor: int = 1000):
        super().__init__(object_list, per_page)
        self.limit = max(floor, (number + 1) * per_page)

    @cached_property
    def count(self) -> int:
        # Which rows fall under the limit does not change how many there are: no sort.
        return self.object_list.order_by()[: self.limit + 1].count()

    @property
    def is_exact(self) -> bool:
        return self.count <= self.limit

    @property
    def total_label(self) -> str:
        """Return the total for people: exact, or "1,000+" past the bound."""
        return f"{self.count:,}" if self.is_exact else f"{self.limit:,}+"


class ListPage:
    """A page of a list that is never counted: one row more than it shows says if more follow.

    Task lists need no total (the sidebar counts open tasks), so they save the count
    query a Paginator runs; search, which says how many it found, uses BoundedPaginator.
    """

    is_exact = False

    def __init__(self, queryset, per_page: int, number: int = 1):
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
