"""Score Ticklist's signed-in pages with Lighthouse, served the way `make serve` serves them.

    python bench/lighthouse.py [--report-only] [--pages today,search] [--presets mobile]

Collects static files, seeds a throwaway SQLite database with `seed_demo`, starts
gunicorn with DEBUG off on a free port (bench/server.py, as the benchmark does),
signs in as the demo account and runs Lighthouse (from node_modules, driving
CHROME_PATH, default /usr/bin/chromium, headless) on Today, a project, a task,
search and settings: mobile with Lighthouse's default simulated throttling, and
its desktop preset. The session cookie goes to Lighthouse as an extra header.

Prints the four category scores per page, with the audits that did not pass, keeps
each whole report in bench/results/lighthouse/PAGE-PRESET.json and writes
bench/results/lighthouse.json:
{"lighthouse", "pages": {PAGE: {PRESET: {"url", "scores": {CATEGORY: 0-100},
"metrics": {AUDIT: value}, "failing": [{"id", "title", "score", "display",
"items": [...]}]}}}}. Exits 1 when any score is below 100, unless --report-only.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

# Run as `python bench/lighthouse.py`: the project root must be importable.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import server

ROOT = server.ROOT
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
RESULTS = ROOT / "bench" / "results" / "lighthouse.json"
# Lighthouse's whole report for each page and preset, to open in its viewer.
REPORTS = ROOT / "bench" / "results" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PRESETS = ("mobile", "desktop")
PAGES = ("today", "project", "task", "search", "settings")
METRICS = (
    "first-contentful-paint",
    "largest-contentful-paint",
    "total-blocking-time",
    "cumulative-layout-shift",
    "speed-index",
)
SEARCH = "rent"
ATTEMPTS = 3
CHROME_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Lighthouse talks only to the server on loopback.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]


def page_paths(browser: server.Browser) -> dict[str, str]:
    """Return the path of each scored page, with a project and a task taken from Today."""
    status, today = browser.get("/today/")
    if status != 200:
        raise RuntimeError(f"/today/ answered {status}")
    project = re.search(rb'href="(/projects/\d+/)"', today)
    task = re.search(rb'href="(/tasks/\d+/)"', today)
    if project is None or task is None:
        raise RuntimeError("Today links no project or task: did seed_demo run?")
    return {
        "today": "/today/",
        "project": project.group(1).decode(),
        "task": task.group(1).decode(),
        "search": f"/search/?q={SEARCH}",
        "settings": "/accounts/settings/",
    }


def lighthouse(url: str, preset: str, session: str, out: Path) -> dict:
    """Run Lighthouse once on `url`; return its JSON report."""
    command = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        f"--output-path={out}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={' '.join(CHROME_FLAGS)}",
        f"--extra-headers={json.dumps({'Cookie': f'sessionid={session}'})}",
        "--quiet",
    ]
    if preset == "desktop":
        command.append("--preset=desktop")
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    # On a busy machine a trace is now and then lost (NO_NAVSTART, NO_FCP): try again.
    for attempt in range(1, ATTEMPTS + 1):
        if subprocess.run(command, cwd=ROOT, env=env, check=False).returncode == 0:
            return json.loads(out.read_text())
        print(f"Lighthouse failed on {url} (attempt {attempt} of {ATTEMPTS})", file=sys.stderr)
    raise RuntimeError(f"Lighthouse failed {ATTEMPTS} times on {url}")


def failing_audits(report: dict) -> list[dict]:
    """Return the audits of the scored categories that did not pass, with what they point at."""
    ids = {ref["id"] for c in CATEGORIES for ref in report["categories"][c]["auditRefs"]}
    failing = []
    for audit_id in sorted(ids):
        audit = report["audits"][audit_id]
        if audit["scoreDisplayMode"] not in {"binary", "numeric", "metricSavings"}:
            continue
        if audit["score"] is None or audit["score"] >= 1:
            continue
        items = (audit.get("details") or {}).get("items") or []
        failing.append(
            {
                "id": audit_id,
                "title": audit["title"],
                "score": audit["score"],
                "display": audit.get("displayValue", ""),
                "items": [describe(item) for item in items[:5]],
            }
        )
    return failing


def describe(item: dict) -> str:
    """Name what an audit item points at: an element's selector, a URL or a value."""
    node = item.get("node") or {}
    if node.get("selector"):
        return f"{node['selector']} {node.get('snippet', '')}".strip()
    for key in ("url", "source", "label"):
        if isinstance(item.get(key), str):
            return item[key]
    return json.dumps(item)[:200]


def summary(report: dict, url: str) -> dict:
    return {
        "url": url,
        "scores": {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES},
        "metrics": {m: report["audits"][m].get("numericValue") for m in METRICS},
        "failing": failing_audits(report),
    }


def table(results: dict) -> str:
    header = f"{'page':<10} {'preset':<8} " + " ".join(f"{c[:14]:>14}" for c in CATEGORIES)
    rows = [header, "-" * len(header)]
    for page, presets in results.items():
        for preset, result in presets.items():
            scores = " ".join(f"{result['scores'][c]:>14}" for c in CATEGORIES)
            rows.append(f"{page:<10} {preset:<8} {scores}")
            rows.extend(
                f"{'':<19} {a['id']}: {a['display'] or a['score']}"
                + "".join(f"\n{'':<23} {item}" for item in a["items"])
                for a in result["failing"]
            )
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--report-only", action="store_true", help="exit 0 whatever the scores")
    parser.add_argument(
        "--pages", default=",".join(PAGES), help="comma-separated, of " + ", ".join(PAGES)
    )
    parser.add_argument(
        "--presets", default=",".join(PRESETS), help="comma-separated, of mobile, desktop"
    )
    args = parser.parse_args()
    pages = [p for p in args.pages.split(",") if p]
    presets = [p for p in args.presets.split(",") if p]
    if unknown := (set(pages) - set(PAGES)) | (set(presets) - set(PRESETS)):
        parser.error(f"unknown page or preset: {', '.join(sorted(unknown))}")
    if not LIGHTHOUSE.exists():
        parser.error("Lighthouse is not installed: run 'npm ci'.")

    with tempfile.TemporaryDirectory(prefix="ticklist-lighthouse-") as tmp:
        workdir = Path(tmp)
        env = server.production_env(database_url=f"sqlite:///{workdir / 'lighthouse.sqlite3'}")
        server.collect_static(env)
        server.manage(env, "migrate", "--no-input")
        server.manage(env, "seed_demo", "--seed", "1")
        instance = server.start(env, log_dir=workdir)
        REPORTS.mkdir(parents=True, exist_ok=True)
        try:
            browser = server.Browser(instance.url)
            session = browser.sign_in("demo", "ticklist-demo")
            results: dict = {}
            for page, path in page_paths(browser).items():
                if page not in pages:
                    continue
                for preset in presets:
                    print(f"Lighthouse: {page} ({preset}) {path}", file=sys.stderr)
                    url = instance.url + path
                    report = lighthouse(url, preset, session, REPORTS / f"{page}-{preset}.json")
                    results.setdefault(page, {})[preset] = summary(report, path)
        finally:
            instance.stop()

    RESULTS.write_text(
        json.dumps({"lighthouse": report["lighthouseVersion"], "pages": results}, indent=2) + "\n"
    )
    print(table(results))
    print(f"\nWrote {RESULTS.relative_to(ROOT)}")
    below = [
        f"{page} {preset} {category} {score}"
        for page, presets_ in results.items()
        for preset, result in presets_.items()
        for category, score in result["scores"].items()
        if score < 100
    ]
    if below and not args.report_only:
        print(f"Below 100: {'; '.join(below)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
