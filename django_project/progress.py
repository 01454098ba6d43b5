"""The one progress bar of every long management command, drawn by rich."""

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn


@contextmanager
def progress_bar(out, *, total: int, label: str) -> Iterator:
    """Yield a function that advances a bar of `total` steps drawn on the command's output."""
    console = Console(file=out, force_terminal=out.isatty() if hasattr(out, "isatty") else False)
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn(label),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=False) as bar:
        step = bar.add_task("", total=max(total, 1))

        def advance(count: int = 1) -> None:
            bar.advance(step, count)

        yield advance
