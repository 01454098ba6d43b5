"""The range of dates a task may be due on, shared by the parser, the forms and the models.

Far-off years are almost always typos ("20226"), and the admin's date hierarchy
cannot step past year 9999, so due dates stay within what a person plans for.
"""

from datetime import date

EARLIEST_DUE = date(1900, 1, 1)
LATEST_DUE = date(2200, 12, 31)
DUE_RANGE_MESSAGE = "Pick a date between 1900 and 2200."


def in_due_range(day: date) -> bool:
    return EARLIEST_DUE <= day <= LATEST_DUE
