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
