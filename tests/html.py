"""Validate pages with the Nu HTML Checker (vnu.jar from the npm registry)."""

import json
import re
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings

VNU_JAR = settings.BASE_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def html_errors(java: str, documents: dict[str, str]) -> list[str]:
    """Return the validator's errors for each named document, in one JVM run."""
    with tempfile.TemporaryDirectory() as folder:
        paths = {}
        for name, html in documents.items():
            path = Path(folder) / f"{len(paths)}.html"
            path.write_text(html, encoding="utf-8")
            paths[path.name] = name
        result = subprocess.run(
            [
                java,
                "-jar",
                str(VNU_JAR),
                "--errors-only",
                "--format",
                "json",
                "--stdout",
                *(str(Path(folder) / file) for file in paths),
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
    messages = json.loads(result.stdout or "{}").get("messages", [])
    return [
        f"{paths[Path(m['url']).name]} line {m.get('lastLine', '?')}: {m['message']}"
        for m in messages
    ]


def element(html: str, tag: str, element_id: str) -> str:
    """Return the markup of the element with this id, nested elements of its kind included."""
    start = html.index(f'id="{element_id}"')
    start = html.rindex(f"<{tag}", 0, start)
    depth, position = 0, start
    opening, closing = re.compile(rf"<{tag}[\s>]"), f"</{tag}>"
    while True:
        next_open = opening.search(html, position + 1)
        next_close = html.index(closing, position + 1)
        if next_open and next_open.start() < next_close:
            depth += 1
            position = next_open.start()
        elif depth:
            depth -= 1
            position = next_close
        else:
            return html[start : next_close + len(closing)]
