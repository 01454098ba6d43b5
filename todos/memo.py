"""A small cache in the process's own memory, for values named by their content."""

import threading
from collections import OrderedDict


class Memo:
    """Keep up to `size` values, dropping the least recently used first.

    Only for values whose key holds everything they depend on: no other process
    can make such a value stale, so each process may keep its own copy, without
    the pickling and round trips of a shared cache.
    """

    def __init__(self, size: int):
        self.size = size
        self._values: OrderedDict = OrderedDict()
        # gunicorn may run several threads a process.
        self._lock = threading.Lock()

    def get_many(self, keys) -> dict:
        found = {}
        with self._lock:
            for key in keys:
                value = self._values.get(key)
                if value is not None:
                    self._values.move_to_end(key)
                    found[key] = value
        return found

    def set_many(self, values: dict) -> None:
        with self._lock:
            self._values.update(values)
            while len(self._values) > self.size:
                self._values.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()

    def __len__(self) -> int:
        return len(self._values)
