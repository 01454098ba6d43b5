"""Load-test Ticklist the production way; print a table and write bench/results/latest.json.

    python bench/bench.py [--quick] [--database-url URL] [--redis-url URL] [--explain]

Builds its own data in a fresh database (a SQLite file in a temporary folder, or
a new PostgreSQL database beside the one DATABASE_URL names, dropped after),
serves it with gunicorn as `make serve` does, with Redis as cache and session
store when --redis-url (or REDIS_URL) names one, signs in through the login form
(the API endpoints send a personal access token instead) and drives each
endpoint with wrk at 16 connections. Endpoints take turns in short slices over
several rounds, so machine noise falls on all of them alike.

The floor is two bare views (`HttpResponse("hello")`, bench/views.py) served by
the same server with the same settings and middleware: one anonymous, one for the
signed-in benchmark account, so its session and user are loaded. They live in
bench/urls.py, which bench/settings.py adds to the production settings; the
server and the query counting run with DJANGO_SETTINGS_MODULE=bench.settings and
the production URLconf never has them. Every endpoint's throughput is reported
as a share of both; compare those ratios, not the absolute figures. /healthz/ is
one more figure. Query counts come from Django's test client in a separate
process against the same database and settings. The calendar feed is measured
after the other rounds (see run), and the growth pages at one connection.

latest.json: {"machine", "endpoints": {NAME: {"rps", "p50_ms", "p99_ms",
"queries", "queries_cached", "ms", "bytes", "body_bytes", "rows",
"ratio_to_bare", "ratio_to_signed_in", "cpu_ms"}}, "growth": {PAGE: {SIZE:
p50_ms, ..., "slowdown", "slowdown_sizes", "queries": {SIZE: n}}},
"worker_rss_mb", "parser": {"chars", "runs", "best_ms": {KIND: ms},
"slowest_ms"}, "targets": {NAME: {"value", "limit", "met"}}, "errors"}.
"queries" is the count with an empty cache, "queries_cached" the same request
sent again, "ms" the first one's time in the test client; "bytes" is the mean
response size on the wire, headers included; "body_bytes" the body of one
request as served, uncompressed and without headers, and "rows" the task rows
in it; "cpu_ms" is gunicorn's CPU time per request, which other load on the
machine disturbs far less than req/s. "slowdown" is the p50 at 100,000 tasks
over the p50 at 10,000 ("slowdown_sizes"; the quick plan, without 100,000,
compares its two largest sizes). "met" is None where a target does not apply (a
list with fewer than 50 rows). "parser" times quick add's parser in this
process, the best of a few runs, on lines as long as the form takes built to hit
its corners (repeated linking words, unknown projects, quotes, digits).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

# Run as `python bench/bench.py`: the project root must be importable.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import data, server
from todos.quickadd import parse

ROOT = server.ROOT
SCRIPT = ROOT / "bench" / "endpoint.lua"
RESULTS = ROOT / "bench" / "results"
# The floor every endpoint is compared with: views that answer "hello" at once, served
# by the same server with the same settings and middleware (bench/settings.py), one
# to anyone and one to the signed-in benchmark account (its session and user loaded).
BARE, BARE_SIGNED_IN = "bare", "bare_signed_in"
# The pages people read, their lists of tasks, and the writes.
READ_PAGES = (
    "today",
    "upcoming",
    "inbox",
    "my_day",
    "project",
    "tag",
    "search",
    "task_detail",
    "shared_today",
    "shared_project",
    "api_tasks",
)
LIST_PAGES = tuple(page for page in READ_PAGES if page not in {"task_detail", "api_tasks"})
WRITES = ("quick_add", "toggle", "api_quick_add")
# Each page's throughput at least this share of the anonymous bare view's.
READ_RATIO, WRITE_RATIO = 0.10, 0.08
RATIO_TARGETS = {"today": 0.15, "task_detail": 0.20}
P99_TARGET_MS = 100
# A list of 50 rows weighs at most this much HTML (the body, without headers).
PAGE_ROWS, PAGE_BYTES = 50, 40 * 1024
# The pages that grow with a person's tasks, measured for each growth account.
GROWTH_PAGES = ("today", "upcoming", "inbox", "my_day", "project", "tag", "search")
GROWTH_TARGET = 1.2
# A task row in a list page's HTML, to count the rows a page shows.
TASK_ROW = re.compile(rb'<li\b[^>]*\bid="task-\d+"')
# What each adversarial quick-add line repeats, up to the form's 2,000 characters.
PARSER_CHARS = 2000
PARSER_LINES = {
    "#x": "#x ",
    "on": "on ",
    "at": "at ",
    "in 1": "in 1 ",
    "due on": "due on ",
    "quotes": '"',
    "quoted": '"a ',
    "@a": "@a ",
    "digits": "1",
    "numbers": "1 ",
    "unicode": "\U0001f642\u00e9 ",
    "dec 24": "dec 24 ",
}
PARSER_TARGET_MS = 50
# The API's throttles stay on, so their cache reads and writes are paid for, but per
# second: wrk sends hundreds a second where a script sends a few. A throttle keeps
# the time of every request in its window, up to the rate: 600 here as in production.
API_RATES = {"API_RATE_PER_TOKEN": "600/second", "API_RATE_PER_USER": "1200/second"}


@dataclass(frozen=True)
class Config:
    """How long and how hard to drive the server."""

    plan: data.Plan
    rounds: int
    slice_s: int
    growth_rounds: int
    growth_slice_s: int
    connections: int = 16
    threads: int = 2


FULL = Config(data.FULL, rounds=5, slice_s=4, growth_rounds=3, growth_slice_s=3)
QUICK = Config(data.QUICK, rounds=2, slice_s=2, growth_rounds=2, growth_slice_s=1)


@dataclass
class Endpoint:
    """One measured URL: how wrk requests it and what it must answer."""

    name: str
    paths: list[str]
    mode: str = "get"
    username: str | None = None
    data: dict = field(default_factory=dict)
    # A personal access token's secret, sent as `Authorization: Bearer`, instead of a session.
    token: str | None = None
    status: int = 200

    @property
    def method(self) -> str:
        return "GET" if self.mode == "get" else "POST"

    @property
    def htmx(self) -> bool:
        # The pages' POSTs are sent as htmx does, so they answer 200 with the partial.
        return self.method == "POST" and self.token is None

    @property
    def sends_json(self) -> bool:
        return self.mode == "post_json"

    def headers(self) -> dict[str, str]:
        """Return the headers every request carries, whoever is signed in."""
        headers = {"HX-Request": "true"} if self.htmx else {}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers

    def script_args(self) -> list[str]:
        """Return what endpoint.lua takes after the mode, thread count and status."""
        return [json.dumps(self.data), *self.paths] if self.sends_json else self.paths


def page_path(page: str, t: dict) -> str:
    """Return the address of one of GROWTH_PAGES for the account whose targets are `t`."""
    return {
        "today": "/today/",
        "upcoming": "/upcoming/",
        "inbox": "/inbox/",
        "my_day": "/my-day/",
        "project": f"/projects/{t['project']}/",
        "tag": f"/tags/{t['tag']}/",
        "search": f"/search/?q={data.SEARCH}",
    }[page]


def endpoints(targets: dict, static_path: str) -> list[Endpoint]:
    """Return the endpoints measured for the benchmark account, the bare views first."""
    t, user = targets["main"], targets["main"]["username"]
    shared = targets["shared"]
    return [
        Endpoint(BARE, [data.BARE_PATH]),
        Endpoint(BARE_SIGNED_IN, [data.BARE_SIGNED_IN_PATH], username=user),
        Endpoint("healthz", ["/healthz/"]),
        *(Endpoint(page, [page_path(page, t)], username=user) for page in GROWTH_PAGES),
        Endpoint("task_detail", [f"/tasks/{t['task']}/"], username=user),
        # Today and a shared project's page for a member of 20 projects of other people.
        Endpoint("shared_today", ["/today/"], username=shared["username"]),
        Endpoint(
            "shared_project", [f"/projects/{shared['project']}/"], username=shared["username"]
        ),
        Endpoint(
            "quick_add",
            ["/tasks/quick-add/"],
            "quick_add",
            user,
            {"text": "Bench task"},
        ),
        Endpoint("toggle", [f"/tasks/{pk}/toggle/" for pk in t["toggle_pool"]], "toggle", user),
        # The API as a script uses it: a token, no session, no CSRF. Quick add's tasks
        # land in Work after its other tasks, due tomorrow.
        Endpoint("api_tasks", [f"/api/v1/tasks/?project={t['project']}"], token=t["api_token"]),
        Endpoint(
            "api_quick_add",
            ["/api/v1/tasks/quick-add/"],
            "post_json",
            data={"text": data.API_QUICK_ADD},
            token=t["api_token"],
            status=201,
        ),
        Endpoint("static", [static_path]),
    ]


def feed_endpoints(targets: dict) -> list[Endpoint]:
    """Return the calendar feed, measured on its own after the writes (see run)."""
    # Calendar apps fetch the feed without a session: its secret address is the key.
    return [Endpoint("calendar_feed", [f"/calendar/{targets['main']['calendar_token']}.ics"])]


def growth_endpoints(targets: dict) -> list[Endpoint]:
    """Return each of GROWTH_PAGES for each growth account."""
    return [
        Endpoint(f"{page}@{size}", [page_path(page, t)], username=t["username"])
        for page in GROWTH_PAGES
        for size, t in targets["growth"].items()
    ]


@contextmanager
def fresh_database(url: str | None, workdir: Path) -> Iterator[str]:
    """Yield the URL of an empty database that is gone afterwards."""
    if not url or url.startswith("sqlite"):
        yield f"sqlite:///{workdir / 'bench.sqlite3'}"
        return
    import psycopg

    # Named after the database the URL names, so each user's runs keep to their own names.
    name = f"{urllib.parse.urlsplit(url).path.strip('/') or 'ticklist'}_bench_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.execute(f"CREATE DATABASE {name}")
        # As the README's deployment section advises: the data is in memory, so an
        # index lookup costs about as much as a sequential read.
        admin.execute(f"ALTER DATABASE {name} SET random_page_cost = 1.1")
    try:
        yield urllib.parse.urlsplit(url)._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def in_django(env: dict[str, str], function: str, workdir: Path, **kwargs) -> dict:
    """Call `bench.data.<function>(**kwargs)` in a manage.py process; return its JSON."""
    out = workdir / f"{function}.json"
    code = (
        f"import json; from bench import data; "
        f"data.{function}(**json.loads({json.dumps(kwargs)!r}), out={str(out)!r})"
    )
    server.manage(env, "shell", "--no-imports", "-c", code)
    return json.loads(out.read_text())


def run_wrk(
    instance: server.Instance,
    endpoint: Endpoint,
    seconds: float,
    connections: int,
    threads: int,
    headers: dict[str, str],
) -> dict:
    """Drive one endpoint for `seconds`; return wrk's totals and latency sketch."""
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    command += [
        "-s",
        str(SCRIPT),
        instance.url + endpoint.paths[0],
        "--",
        endpoint.mode,
        str(threads),
        str(endpoint.status),
        *endpoint.script_args(),
    ]
    cpu = server_cpu_s(instance)
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    drain(instance)
    cpu = server_cpu_s(instance) - cpu
    line = next((x for x in done.stdout.splitlines() if x.startswith("BENCH ")), None)
    if done.returncode or line is None:
        raise RuntimeError(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return {**json.loads(line.removeprefix("BENCH ")), "cpu_s": cpu}


def drain(instance: server.Instance) -> None:
    """Wait for the requests wrk left behind when its time ran out.

    wrk stops counting at the end of its slice, but the server still has the
    requests its connections had sent. A new connection queues behind them, so
    the bare view's answer means they are done: their time and CPU stay with the
    endpoint that sent them instead of slowing the next slice down.
    """
    status, _ = server.Browser(instance.url).get(data.BARE_PATH)
    if status != 200:
        raise RuntimeError(f"the bare view answered {status} while draining")


def warm_feed(
    instance: server.Instance, endpoint: Endpoint, connections: int, log, bursts: int = 3
) -> None:
    """Send the feed `connections` requests at once, `bursts` times, waiting for every answer.

    With the cache in process memory each worker draws its own copy, and a drawing
    can outlast a wrk slice. A burst as wide as wrk's reaches every idle worker (a
    worker that draws is busy, so the others take the rest of the burst), and
    waiting for every answer lets the drawings finish before the feed is timed.
    """
    from concurrent.futures import ThreadPoolExecutor

    def fetch(_) -> float:
        started = time.monotonic()
        status, _ = server.Browser(instance.url).get(endpoint.paths[0])
        if status != endpoint.status:
            raise RuntimeError(f"{endpoint.name} answered {status} while warming")
        return time.monotonic() - started

    with ThreadPoolExecutor(connections) as pool:
        for burst in range(1, bursts + 1):
            slowest = max(pool.map(fetch, range(connections)))
            log(f"{endpoint.name} warm-up burst {burst}: slowest {1000 * slowest:.0f} ms")


def server_cpu_s(instance: server.Instance) -> float:
    """Return the CPU seconds gunicorn has used: master, live workers and reaped ones.

    CPU per request barely moves when other programs share the cores, unlike
    requests per second, so it backs up the throughput ratios on a busy machine.
    """

    def fields(pid: int) -> list[str]:
        # After the ")" that closes the command name: field 3 (state) onwards.
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()

    master = fields(instance.process.pid)
    ticks = sum(int(x) for x in master[11:15])  # utime, stime, cutime, cstime
    for pid in instance.worker_pids():
        try:
            worker = fields(pid)
        except FileNotFoundError:  # recycled just now: counted in the master's cutime
            continue
        ticks += int(worker[11]) + int(worker[12])
    return ticks / os.sysconf("SC_CLK_TCK")


ERROR_KINDS = ("connect", "read", "write", "timeout", "status", "unexpected")


def errors(wrk_slice: dict, kind: str) -> int:
    """Return one kind of failure in a slice: wrk's own, or answers other than expected."""
    if kind == "unexpected":
        return wrk_slice.get("unexpected", 0)
    return wrk_slice["errors"][kind]


def merge(slices: list[dict]) -> dict:
    """Add up the slices of one endpoint: throughput, percentiles over every request."""
    requests = sum(s["requests"] for s in slices)
    seconds = sum(s["duration_us"] for s in slices) / 1e6
    points = sorted(
        (us, s["requests"] / len(s["quantiles_us"])) for s in slices for us in s["quantiles_us"]
    )

    def percentile(p: float) -> float:
        goal, seen = requests * p / 100, 0.0
        for us, weight in points:
            seen += weight
            if seen >= goal:
                return us / 1000
        return points[-1][0] / 1000 if points else 0.0

    return {
        "requests": requests,
        "rps": requests / seconds if seconds else 0.0,
        "p50_ms": percentile(50),
        "p99_ms": percentile(99),
        "bytes": round(sum(s["bytes"] for s in slices) / requests) if requests else 0,
        "cpu_ms": 1000 * sum(s.get("cpu_s", 0.0) for s in slices) / requests if requests else 0.0,
        "errors": {kind: n for kind in ERROR_KINDS if (n := sum(errors(s, kind) for s in slices))},
    }


def worker_rss_mb(instance: server.Instance) -> float:
    """Return the largest resident set size among the gunicorn workers, in MB."""
    sizes = []
    for pid in instance.worker_pids():
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except FileNotFoundError:  # recycled by max_requests just now
            continue
        # An exiting worker has no VmRSS line any more.
        kb = next((int(x.split()[1]) for x in status.splitlines() if x.startswith("VmRSS")), 0)
        sizes.append(kb / 1024)
    return max(sizes, default=0.0)


def machine(database: str, workers: int, config: Config) -> dict:
    """Describe the machine and set-up the figures belong to."""
    cpuinfo = Path("/proc/cpuinfo").read_text()
    meminfo = Path("/proc/meminfo").read_text()
    model = next(
        (x.split(":", 1)[1].strip() for x in cpuinfo.splitlines() if "model name" in x), ""
    )
    kb = next((int(x.split()[1]) for x in meminfo.splitlines() if x.startswith("MemTotal")), 0)
    return {
        "cores": os.cpu_count(),
        "memory_gb": round(kb / 1024**2, 1),
        "cpu": model or platform.processor(),
        "python": platform.python_version(),
        "database": database,
        "gunicorn_workers": workers,
        "wrk": f"{config.threads} threads, {config.connections} connections",
        "code": code_version(),
    }


def code_version() -> str:
    """Return the commit measured, marked when the working tree differs from it."""
    git = ["git", "-C", str(ROOT)]
    try:
        commit = subprocess.run(
            [*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        changed = subprocess.run([*git, "diff", "--quiet", "HEAD"], check=False).returncode
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return commit + ("+uncommitted changes" if changed else "")


def sign_in(instance: server.Instance, username: str) -> server.Browser:
    """Sign in through the login form; return the browser holding the session."""
    browser = server.Browser(instance.url)
    browser.sign_in(username, data.PASSWORD)
    return browser


def wrk_headers(endpoint: Endpoint, browsers: dict[str, server.Browser]) -> dict[str, str]:
    """Return the headers wrk sends: the session's cookies or the token, and htmx's for POSTs."""
    headers = endpoint.headers()
    if endpoint.username:
        browser = browsers[endpoint.username]
        csrf = browser.cookie("csrftoken") or ""
        headers["Cookie"] = f"sessionid={browser.cookie('sessionid')}; csrftoken={csrf}"
        headers["X-CSRFToken"] = csrf
    return headers


def check(instance: server.Instance, endpoint: Endpoint, browsers: dict) -> dict:
    """Fail early when an endpoint does not answer as expected to one plain request.

    Return the size of its body as served, uncompressed and without headers, and the
    task rows it shows.
    """
    browser = browsers[endpoint.username] if endpoint.username else server.Browser(instance.url)
    path = endpoint.paths[0]
    status, body = browser.request(
        endpoint.method,
        path,
        endpoint.data or None,
        endpoint.headers(),
        as_json=endpoint.sends_json,
    )
    if status != endpoint.status:
        raise RuntimeError(f"{endpoint.name}: {endpoint.method} {path} answered {status}")
    return body_size(body)


def body_size(body: bytes) -> dict:
    """Return a body's bytes and the task rows in it (TASK_ROW)."""
    return {"body_bytes": len(body), "rows": len(TASK_ROW.findall(body))}


def measure(
    instance: server.Instance,
    endpoints: list[Endpoint],
    browsers: dict[str, server.Browser],
    rounds: int,
    seconds: int,
    connections: int,
    threads: int,
    log,
    label: str,
) -> tuple[dict[str, list[dict]], float]:
    """Drive the endpoints in turn, `rounds` times; return their slices and peak worker RSS."""
    slices: dict[str, list[dict]] = {e.name: [] for e in endpoints}
    rss = worker_rss_mb(instance)
    for n in range(rounds):
        log(f"{label} {n + 1}/{rounds}")
        for endpoint in endpoints:
            headers = wrk_headers(endpoint, browsers)
            slices[endpoint.name].append(
                run_wrk(instance, endpoint, seconds, connections, threads, headers)
            )
            # Sampled after every slice: max_requests recycles workers during the run.
            rss = max(rss, worker_rss_mb(instance))
    return slices, rss


def bench_env(database_url: str, redis_url: str) -> dict[str, str]:
    """Return the environment of the benchmark's server and manage.py processes.

    production_env drops every DJANGO_ variable, so the settings with the bare
    views (bench/settings.py) are named after it: gunicorn (through wsgi.py) and
    manage.py both take DJANGO_SETTINGS_MODULE from the environment when it is set.
    """
    env = server.production_env(database_url=database_url, redis_url=redis_url, **API_RATES)
    env["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    return env


def run(
    config: Config,
    database_url: str | None,
    *,
    redis_url: str = "",
    explain: bool = False,
    log=print,
) -> dict:
    """Build, serve, measure and return the report.

    The main rounds take every endpoint in turn, the bare views included. The
    calendar feed is measured after them, on its own: drawing it for 10,000 tasks
    takes about half a second, and every write in the main rounds names a new feed,
    so interleaved with them each slice of it mostly waited for drawings that
    outlast it and slowed the next slice down. After the writes, it is measured as
    calendar apps meet it, drawn once and then served from the cache, and its
    drawing is timed apart (the test client's first request with an empty cache:
    "ms" in the query counts). Then the growth rounds, at one connection.
    """
    with (
        tempfile.TemporaryDirectory(prefix="ticklist-bench-") as tmp,
        fresh_database(database_url, Path(tmp)) as url,
    ):
        workdir = Path(tmp)
        env = bench_env(url, redis_url)
        started = time.monotonic()
        server.manage(env, "migrate", "--no-input")
        server.manage(env, "collectstatic", "--no-input")
        plan = config.plan
        targets = in_django(env, "build", workdir, plan=asdict(plan))
        log(f"data built in {time.monotonic() - started:.0f} s ({targets['database']})")
        manifest = json.loads((ROOT / "staticfiles" / "staticfiles.json").read_text())
        static = "/static/" + manifest["paths"]["dist/app.css"]
        main, feeds = endpoints(targets, static), feed_endpoints(targets)
        growth = growth_endpoints(targets)
        everything = main + feeds + growth

        largest = str(max(plan.growth))
        to_explain = [f"{page}@{largest}" for page in GROWTH_PAGES] if explain else []
        to_explain += ["shared_today"] if explain else []
        counted = in_django(
            env,
            "count_queries",
            workdir,
            requests=query_requests(everything),
            explain=to_explain,
        )
        expected = {e.name: e.status for e in everything}
        for key, result in counted.items():
            if result["status"] != expected[key]:
                raise RuntimeError(f"{key} answered {result['status']} to the test client")

        instance = server.start(env, log_dir=workdir)
        load = (config.connections, config.threads)
        try:
            users = {e.username for e in everything if e.username}
            browsers = {name: sign_in(instance, name) for name in users}
            bodies = {e.name: check(instance, e, browsers) for e in everything}
            # Every worker imports, connects and compiles templates on first use; a
            # long-running server has done so, so the first round must not pay for it.
            _, warm_rss = measure(instance, everything, browsers, 1, 1, *load, log, "warm-up")
            slices, rss = measure(
                instance, main, browsers, config.rounds, config.slice_s, *load, log, "round"
            )
            # The writes are over: let every worker draw the feed once before it is timed.
            for feed in feeds:
                warm_feed(instance, feed, config.connections, log)
            feed_slices, feed_rss = measure(
                instance, feeds, browsers, config.rounds, config.slice_s, *load, log, "feed round"
            )
            # One connection: latency without queueing behind other requests.
            growth_slices, growth_rss = measure(
                instance,
                growth,
                browsers,
                config.growth_rounds,
                config.growth_slice_s,
                1,
                1,
                log,
                "growth round",
            )
            workers = len(instance.worker_pids())
        finally:
            instance.stop()
            # The server's own account of any error the run counted.
            RESULTS.mkdir(parents=True, exist_ok=True)
            shutil.copy(instance.log, RESULTS / "gunicorn.log")
        described = machine(targets["database"], workers, config)
        described["cache"] = targets["cache"]
        if redis_url:
            described["redis_keys"] = redis_keys(redis_url)
        # In this process, with the server stopped: nothing else competes for the cores.
        log("parser")
        report = summarise(
            {name: merge(s) for name, s in {**slices, **feed_slices, **growth_slices}.items()},
            counted,
            plan,
            rss=max(warm_rss, rss, feed_rss, growth_rss),
            machine=described,
            parser=parser_case(),
            bodies=bodies,
        )
        if explain:
            report["explain"] = {key: counted[key]["plans"] for key in to_explain}
        return report


def redis_keys(url: str) -> int:
    """Return how many keys the Redis database the server used holds: proof it was used."""
    import redis

    client = redis.Redis.from_url(url)
    try:
        return client.dbsize()
    finally:
        client.close()


def parser_case(runs: int = 5) -> dict:
    """Time the quick-add parser on 2,000 adversarial characters of each kind; best of runs."""
    now = datetime.now(UTC)
    zone = ZoneInfo("Europe/Paris")
    best = {}
    for kind, unit in PARSER_LINES.items():
        line = (unit * (PARSER_CHARS // len(unit) + 1))[:PARSER_CHARS]
        seconds = []
        for _ in range(runs):
            started = time.perf_counter()
            parse(line, now=now, tz=zone, projects=["Home", "Home Office", "Work"])
            seconds.append(time.perf_counter() - started)
        best[kind] = round(1000 * min(seconds), 2)
    return {
        "chars": PARSER_CHARS,
        "runs": runs,
        "best_ms": best,
        "slowest_ms": max(best.values()),
    }


def query_requests(endpoints: list[Endpoint]) -> list[dict]:
    return [
        {
            "key": e.name,
            "username": e.username,
            "method": e.method,
            "path": e.paths[0],
            "data": e.data,
            "headers": e.headers(),
            "json": e.sends_json,
        }
        for e in endpoints
    ]


def flat_sizes(plan: data.Plan) -> tuple[int, int]:
    """Return the two account sizes the growth target compares: 10,000 and 100,000 tasks.

    A plan without both (the quick one) compares its two largest sizes instead.
    """
    if {10_000, 100_000} <= set(plan.growth):
        return 10_000, 100_000
    first, last = sorted(plan.growth)[-2:]
    return first, last


def summarise(
    merged: dict,
    counted: dict,
    plan: data.Plan,
    *,
    rss: float,
    machine: dict,
    parser: dict,
    bodies: dict | None = None,
) -> dict:
    """Turn merged wrk figures, query counts, bodies and parser timings into the report."""
    bare = merged[BARE]["rps"] or 1.0
    signed_in = merged[BARE_SIGNED_IN]["rps"] or 1.0
    bodies = bodies or {}
    names = [n for n in merged if "@" not in n]
    report = {
        "machine": machine,
        "endpoints": {
            name: {
                "rps": round(merged[name]["rps"], 1),
                "p50_ms": round(merged[name]["p50_ms"], 2),
                "p99_ms": round(merged[name]["p99_ms"], 2),
                "queries": counted[name]["queries"],
                "queries_cached": counted[name]["queries_cached"],
                "ms": counted[name].get("ms"),
                "bytes": merged[name]["bytes"],
                "body_bytes": bodies.get(name, {}).get("body_bytes"),
                "rows": bodies.get(name, {}).get("rows"),
                "ratio_to_bare": round(merged[name]["rps"] / bare, 3),
                "ratio_to_signed_in": round(merged[name]["rps"] / signed_in, 3),
                "cpu_ms": round(merged[name]["cpu_ms"], 2),
            }
            for name in names
        },
        "growth": {},
        "worker_rss_mb": round(rss, 1),
        "parser": parser,
    }
    first, last = (str(size) for size in flat_sizes(plan))
    for page in GROWTH_PAGES:
        sizes = [str(size) for size in plan.growth]
        row: dict = {size: round(merged[f"{page}@{size}"]["p50_ms"], 2) for size in sizes}
        row["slowdown"] = round(row[last] / row[first], 2) if row[first] else None
        row["slowdown_sizes"] = [first, last]
        row["queries"] = {size: counted[f"{page}@{size}"]["queries"] for size in sizes}
        report["growth"][page] = row
    report["errors"] = {name: m["errors"] for name, m in merged.items() if m["errors"]}
    report["targets"] = targets_met(report)
    return report


def verdict(value, limit, met: bool | None) -> dict:
    """One target: the figure, the limit, and met (None: the target does not apply)."""
    return {"value": value, "limit": limit, "met": met}


def targets_met(report: dict) -> dict:
    """Check the figures against issue 17's targets (and issue 6's that still hold).

    Throughput is the share of the anonymous bare view's; "met" is None where a
    target cannot be judged (a list page with fewer than PAGE_ROWS rows).
    """
    e, g = report["endpoints"], report["growth"]
    result = {}
    for name in (*READ_PAGES, *WRITES):
        limit = RATIO_TARGETS.get(name, WRITE_RATIO if name in WRITES else READ_RATIO)
        ratio = e[name]["ratio_to_bare"]
        result[f"{name} throughput >= {limit:.2f} of the bare view"] = verdict(
            ratio, limit, ratio >= limit
        )
    for name in (*READ_PAGES, *WRITES):
        p99 = e[name]["p99_ms"]
        result[f"{name} p99 < {P99_TARGET_MS} ms at 16 connections"] = verdict(
            p99, P99_TARGET_MS, p99 < P99_TARGET_MS
        )
    for name in LIST_PAGES:
        size, rows = e[name]["body_bytes"], e[name]["rows"]
        full = rows is not None and rows >= PAGE_ROWS
        result[f"{name} HTML <= {PAGE_BYTES // 1024} KB for {PAGE_ROWS} rows"] = verdict(
            f"{size} bytes, {rows} rows" + ("" if full else f": fewer than {PAGE_ROWS}"),
            PAGE_BYTES,
            (size is not None and size <= PAGE_BYTES) if full else None,
        )
    for page, row in g.items():
        first, last = row["slowdown_sizes"]
        result[f"{page} flat within {GROWTH_TARGET}x from {first} to {last} tasks"] = verdict(
            row["slowdown"],
            GROWTH_TARGET,
            row["slowdown"] is not None and row["slowdown"] <= GROWTH_TARGET,
        )
        counts = set(row["queries"].values())
        result[f"{page} queries equal at every size"] = verdict(
            sorted(counts), "one value", len(counts) == 1
        )
    pages = {name: e[name]["queries"] for name in READ_PAGES}
    result["page queries single digit"] = verdict(pages, 9, max(pages.values()) <= 9)
    result["worker RSS < 150 MB"] = verdict(
        report["worker_rss_mb"], 150, report["worker_rss_mb"] < 150
    )
    slowest = report["parser"]["slowest_ms"]
    result[f"parser {PARSER_CHARS:,} adversarial chars < {PARSER_TARGET_MS} ms"] = verdict(
        slowest, PARSER_TARGET_MS, slowest < PARSER_TARGET_MS
    )
    return result


def table(report: dict) -> str:
    """Render the report as plain-text tables."""
    m = report["machine"]
    lines = [
        f"{m.get('database', '?')}, cache {m.get('cache', '?')}"
        + (f" ({m['redis_keys']} Redis keys after the run)" if "redis_keys" in m else "")
        + f"; {m.get('cores', '?')} cores, {m.get('gunicorn_workers', '?')} workers, "
        f"wrk {m.get('wrk', '?')}; {m.get('code', '?')}",
        f"{'endpoint':<15} {'req/s':>8} {'÷bare':>6} {'÷sign':>6} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'queries':>7} {'body B':>7} {'rows':>4} {'cpu ms':>6}",
    ]
    for name, r in report["endpoints"].items():
        body = "" if r["body_bytes"] is None else r["body_bytes"]
        rows = "" if not r["rows"] else r["rows"]
        lines.append(
            f"{name:<15} {r['rps']:>8.1f} {r['ratio_to_bare']:>6.3f} "
            f"{r['ratio_to_signed_in']:>6.3f} {r['p50_ms']:>7.2f} {r['p99_ms']:>7.2f} "
            f"{r['queries']:>3}/{r['queries_cached']:<3} {body:>7} {rows:>4} {r['cpu_ms']:>6.2f}"
        )
    lines.append(
        "÷bare, ÷sign: req/s over the bare view's, anonymous and signed in; body: bytes "
        "without headers; calendar_feed measured after the writes"
    )
    feed = report["endpoints"].get("calendar_feed")
    if feed and feed.get("ms") is not None:
        lines.append(f"calendar_feed drawn with an empty cache in {feed['ms']:.0f} ms")
    sizes = list(next(iter(report["growth"].values()))["queries"])
    lines += ["", "growth, p50 ms at one connection (queries)"]
    lines.append(f"{'page':<12} " + " ".join(f"{s:>13}" for s in sizes) + f" {'slowdown':>9}")
    for page, row in report["growth"].items():
        cells = " ".join(f"{row[s]:>8.2f} ({row['queries'][s]:>2})" for s in sizes)
        slowdown = "-" if row["slowdown"] is None else f"{row['slowdown']:.2f}x"
        lines.append(f"{page:<12} {cells} {slowdown:>9}")
    first, last = next(iter(report["growth"].values()))["slowdown_sizes"]
    lines.append(f"slowdown: from {first} to {last} tasks")
    lines += ["", f"worker RSS, max: {report['worker_rss_mb']:.1f} MB"]
    parser = report["parser"]
    lines += ["", f"parser, best ms of {parser['runs']} for {parser['chars']:,} characters of"]
    lines.append("  " + " | ".join(f"{kind} {ms:.2f}" for kind, ms in parser["best_ms"].items()))
    lines += ["", "targets"]
    marks = {True: "met", False: "MISSED", None: "n/a"}
    for name, t in report["targets"].items():
        lines.append(f"  [{marks[t['met']]:>6}] {name}: {t['value']}")
    if report["errors"]:
        lines += ["", f"ERRORS (unexpected status or transport): {report['errors']}"]
        lines.append(f"the server's log: {RESULTS / 'gunicorn.log'}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller data, shorter runs")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL"),
        help="a PostgreSQL server to build a fresh database on (default: SQLite in a temp dir)",
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("REDIS_URL", ""),
        help="a Redis database for the server's cache and sessions, emptied first "
        "(default: REDIS_URL; none: process memory and database sessions)",
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help="also print the plans of Today's and the project page's task queries "
        "for the largest account, and of Today's for the member of 20 shared projects",
    )
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print("wrk is not installed: apt-get install wrk", file=sys.stderr)
        return 2
    started = time.monotonic()
    report = run(
        QUICK if args.quick else FULL,
        args.database_url,
        redis_url=args.redis_url,
        explain=args.explain,
    )
    report["machine"]["wall_s"] = round(time.monotonic() - started)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2) + "\n")
    for key, plans in report.get("explain", {}).items():
        print(f"\n== {key}")
        for sql, plan in plans:
            print(f"-- {sql[:300]}{' ...' if len(sql) > 300 else ''}\n{plan}\n")
    print(table(report))
    print(f"\nwall time {report['machine']['wall_s']} s; written to {RESULTS / 'latest.json'}")
    return 1 if report["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
