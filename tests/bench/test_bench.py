"""The benchmark's pieces, checked cheaply: data, query counting, wrk script and report."""

import json
import shutil
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import psycopg
import pytest

from accounts.models import User
from bench import bench, data, load, server
from conftest import skip_or_fail
from todos.models import Project, Tag, Task
from todos.services import ensure_inbox

TINY = data.Plan(main_tasks=60, others=2, other_tasks=20, growth=(100, 150), shared_tasks=10)


@pytest.fixture
def built(db, tmp_path):
    out = tmp_path / "targets.json"
    data.build(plan=bench.asdict(TINY), out=str(out))
    return json.loads(out.read_text())


def test_builds_the_measured_account_others_and_growth_steps(built):
    main = built["main"]
    user = Task.objects.get(pk=main["task"]).owner
    assert main["tasks"] == 60 == Task.objects.for_user(user).count()
    assert Project.objects.for_user(user).count() == 21  # the Inbox and 20 projects
    assert Tag.objects.for_user(user).count() == 30
    assert Task.objects.for_user(user).filter(parent__isnull=False).exists()
    assert Task.objects.for_user(user).completed().exists()
    assert Task.objects.for_user(user).filter(subtasks__isnull=False).filter(pk=main["task"])
    assert main["toggle_pool"]
    assert Task.objects.filter(pk__in=main["toggle_pool"], owner=user).count() == len(
        main["toggle_pool"]
    )
    assert {size: t["tasks"] for size, t in built["growth"].items()} == {"100": 100, "150": 150}
    # The main account, two others, the shared account and its 20 shared projects.
    shared = data.SHARED_PROJECTS * 10
    assert Task.objects.exclude(owner__username__startswith="grow").count() == 60 + 3 * 20 + shared
    assert built["database"]


def test_the_shared_account_edits_20_projects_of_others_with_tasks_assigned_to_it(built):
    sharer = User.objects.get(username=built["shared"]["username"])
    projects = Project.objects.for_user(sharer).exclude(owner=sharer)
    assert built["shared"]["shared_projects"] == projects.count() == data.SHARED_PROJECTS
    assert set(Project.objects.editable_by(sharer)) >= set(projects)
    assert built["shared"]["project"] in {project.pk for project in projects}
    shared = Task.objects.for_user(sharer).exclude(owner=sharer)
    assert shared.count() == data.SHARED_PROJECTS * 10
    assert shared.filter(assignee=sharer).exists()
    assert shared.filter(assignee__isnull=True).exists()


def test_growth_accounts_have_full_pages_at_every_size(built):
    for growth in built["growth"].values():
        work = Task.objects.filter(project=growth["project"], parent__isnull=True)
        assert work.open().count() >= data.FULL_PAGE
        assert work.completed().count() >= data.COMPLETED_SHOWN


def test_the_measured_account_has_a_token_that_lists_its_work_project(built, client):
    main = built["main"]
    bearer = {"Authorization": f"Bearer {main['api_token']}"}

    response = client.get(f"/api/v1/tasks/?project={main['project']}", headers=bearer)

    assert response.status_code == 200
    assert {task["project"] for task in response.json()["results"]} == {main["project"]}


def test_the_measured_account_token_can_quick_add(built, client):
    bearer = {"Authorization": f"Bearer {built['main']['api_token']}"}

    response = client.post(
        "/api/v1/tasks/quick-add/",
        {"text": data.API_QUICK_ADD},
        content_type="application/json",
        headers=bearer,
    )

    assert response.status_code == 201
    assert (
        Task.objects.get(pk=response.json()["task"]["id"]).project_id == built["main"]["project"]
    )


def test_counts_queries_for_every_endpoint_with_its_status(built, tmp_path, settings):
    # The bench's own settings, as the real run's manage.py process has them.
    settings.ROOT_URLCONF = "bench.urls"
    # Static files need collectstatic, which the real run does and tests skip.
    pages = [e for e in bench.endpoints(built, "") if e.name != "static"]
    pages += bench.feed_endpoints(built) + bench.growth_endpoints(built)
    requests = bench.query_requests(pages)
    out = tmp_path / "counted.json"
    data.count_queries(requests=requests, out=str(out), explain=["today@150"])
    counted = json.loads(out.read_text())
    assert set(counted) == {r["key"] for r in requests}
    statuses = {k: r["status"] for k, r in counted.items()}
    assert statuses == {e.name: e.status for e in pages}
    assert counted["healthz"]["queries"] == 1
    # The bare views: nothing read anonymously; the session and the user signed in.
    assert counted["bare"]["queries"] == 0
    assert 1 <= counted["bare_signed_in"]["queries"] <= 2
    assert counted["calendar_feed"]["ms"] > 0
    assert counted["today"]["queries"] >= counted["today"]["queries_cached"] > 1
    assert counted["today@150"]["plans"]


class _Stub(BaseHTTPRequestHandler):
    def _answer(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(404 if self.path.startswith("/missing") else 200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    do_GET = do_POST = _answer

    def log_message(self, *args):
        pass


def _wrk(handler, *options_and_args):
    """Run endpoint.lua against a local stub server; return its BENCH line's figures."""
    stub = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=stub.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{stub.server_port}"
    split = options_and_args.index("--")
    options, args = options_and_args[:split], options_and_args[split:]
    try:
        done = subprocess.run(
            ["wrk", *options, "-s", str(bench.SCRIPT), url, *args],
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        )
    finally:
        stub.shutdown()
    line = next(x for x in done.stdout.splitlines() if x.startswith("BENCH "))
    return json.loads(line.removeprefix("BENCH "))


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")
def test_wrk_script_reports_totals_sketch_and_unexpected_answers():
    result = _wrk(_Stub, "-t2", "-c2", "-d1s", "--", "toggle", "2", "200", "/a/", "/missing/")
    assert result["requests"] > 0
    assert len(result["quantiles_us"]) == 1000
    # One thread POSTs only to /missing/, which answers 404.
    assert 0 < result["unexpected"] < result["requests"]
    assert result["errors"]["status"] == result["unexpected"]


class _Recorder(BaseHTTPRequestHandler):
    seen: list = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.seen.append(
            (self.path, self.headers["Content-Type"], self.headers["Authorization"], body)
        )
        self.send_response(201)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")
def test_wrk_script_posts_json_with_the_endpoints_token():
    endpoint = bench.Endpoint(
        "api_quick_add",
        ["/api/"],
        "post_json",
        data={"text": "Call #Work"},
        token="tl_x",
        status=201,
    )
    headers = [f"-H{name}: {value}" for name, value in endpoint.headers().items()]
    args = ["post_json", "1", "201", *endpoint.script_args()]

    result = _wrk(_Recorder, "-t1", "-c1", "-d1s", *headers, "--", *args)

    assert result["requests"] > 0
    assert result["unexpected"] == 0
    assert set(_Recorder.seen) == {
        ("/api/", "application/json", "Bearer tl_x", b'{"text": "Call #Work"}')
    }


class _Drawing(BaseHTTPRequestHandler):
    """A feed that takes 0.3 s for each of the first `slow` requests, then answers at once."""

    slow = 4
    served: list = []
    lock = threading.Lock()

    def do_GET(self):
        with self.lock:
            self.served.append(self.path)
            drawing = len(self.served) <= self.slow
        if drawing:
            time.sleep(0.3)
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture
def drawing_server():
    _Drawing.served = []
    stub = ThreadingHTTPServer(("127.0.0.1", 0), _Drawing)
    threading.Thread(target=stub.serve_forever, daemon=True).start()
    yield server.Instance(stub.server_port, process=None, log=None)
    stub.shutdown()


def test_the_feed_is_warmed_in_bursts_that_wait_for_every_drawing(drawing_server):
    feed = bench.Endpoint("calendar_feed", ["/calendar/x.ics"])
    said = []

    started = time.monotonic()
    bench.warm_feed(drawing_server, feed, 4, said.append)

    # Three bursts of four at once, every answer awaited: the first burst drew.
    assert len(said) == 3
    assert said[0].startswith("calendar_feed warm-up burst 1: slowest ")
    assert _Drawing.served == ["/calendar/x.ics"] * 12
    assert time.monotonic() - started >= 0.3


def test_draining_waits_for_the_bare_view(drawing_server):
    bench.drain(drawing_server)

    assert _Drawing.served == [data.BARE_PATH]


def _slice(requests, latency_us):
    return {
        "requests": requests,
        "duration_us": 1_000_000,
        "bytes": requests * 100,
        "unexpected": 0,
        "errors": dict.fromkeys(("connect", "read", "write", "status", "timeout"), 0),
        "quantiles_us": [latency_us] * 1000,
    }


def test_merge_weights_each_round_by_its_requests():
    merged = bench.merge([_slice(300, 1000), _slice(100, 9000)])
    assert merged["rps"] == 200
    assert merged["p50_ms"] == 1.0
    assert merged["p99_ms"] == 9.0
    assert merged["bytes"] == 100
    assert merged["errors"] == {}


def test_merge_names_the_kinds_of_error():
    broken = {**_slice(10, 1000), "unexpected": 2}
    broken["errors"] = {**broken["errors"], "status": 2, "timeout": 1}
    assert bench.merge([broken, _slice(10, 1000)])["errors"] == {
        "timeout": 1,
        "status": 2,
        "unexpected": 2,
    }


PARSER = {"chars": 2000, "runs": 1, "best_ms": {"#x": 3.0, "on": 4.5}, "slowest_ms": 4.5}


def _report(built, rps=None, latency_us=None, bodies=None, growth_us=None):
    """Summarise made-up figures for every endpoint: 100 req/s at 2 ms unless told."""
    rps, latency_us, growth_us = rps or {}, latency_us or {}, growth_us or {}
    names = [e.name for e in bench.endpoints(built, "/static/x.css")]
    names += [e.name for e in bench.feed_endpoints(built)]
    growth = [e.name for e in bench.growth_endpoints(built)]
    merged = {
        name: bench.merge([_slice(rps.get(name, 100), latency_us.get(name, 2000))])
        for name in names
    }
    merged.update({name: bench.merge([_slice(100, growth_us.get(name, 2000))]) for name in growth})
    counted = {name: {"queries": 3, "queries_cached": 3, "ms": 5.0} for name in names + growth}
    if bodies is None:
        bodies = {name: {"body_bytes": 30_000, "rows": 50} for name in bench.LIST_PAGES}
    return bench.summarise(
        merged,
        counted,
        TINY,
        rss=80.0,
        machine={"cores": 2, "database": "SQLite 3.40.1", "cache": "RedisCache", "redis_keys": 7},
        parser=PARSER,
        bodies=bodies,
    )


def test_report_has_the_documented_structure(built):
    report = _report(built, rps={"bare": 1000, "bare_signed_in": 400})
    assert set(report) >= {"machine", "endpoints", "growth", "worker_rss_mb", "parser"}
    assert set(report["endpoints"]) == {
        "bare", "bare_signed_in", "healthz", "today", "upcoming", "inbox", "my_day",
        "calendar_feed", "project", "tag", "search", "task_detail", "shared_today",
        "shared_project", "quick_add", "toggle", "api_tasks", "api_quick_add", "static",
    }  # fmt: skip
    # The bare views first: every round starts with them.
    assert list(report["endpoints"])[:3] == ["bare", "bare_signed_in", "healthz"]
    for figures in report["endpoints"].values():
        assert set(figures) >= {
            "rps", "p50_ms", "p99_ms", "queries", "bytes", "body_bytes", "rows",
            "ratio_to_bare", "ratio_to_signed_in", "ms",
        }  # fmt: skip
    today = report["endpoints"]["today"]
    assert (today["ratio_to_bare"], today["ratio_to_signed_in"]) == (0.1, 0.25)
    assert report["endpoints"]["bare"]["ratio_to_bare"] == 1.0
    assert report["endpoints"]["bare_signed_in"]["ratio_to_signed_in"] == 1.0
    assert (today["body_bytes"], today["rows"]) == (30_000, 50)
    assert set(report["growth"]) == set(bench.GROWTH_PAGES) >= {"search", "inbox", "tag"}
    assert report["growth"]["today"] == {
        "100": 2.0,
        "150": 2.0,
        "slowdown": 1.0,
        "slowdown_sizes": ["100", "150"],
        "queries": {"100": 3, "150": 3},
    }
    assert report["targets"]["worker RSS < 150 MB"]["met"]
    assert report["targets"]["parser 2,000 adversarial chars < 50 ms"]["value"] == 4.5
    assert json.loads(json.dumps(report)) == report
    text = bench.table(report)
    assert "task_detail" in text
    assert "on 4.50" in text
    assert "0.100  0.250" in text
    assert text.startswith("SQLite 3.40.1, cache RedisCache (7 Redis keys after the run); 2 cores")


def test_throughput_targets_are_shares_of_the_anonymous_bare_view(built):
    # 1,000 req/s bare: Today needs 150, the task page 200, other pages 100, writes 80.
    rps = {"bare": 1000, "bare_signed_in": 300, "today": 149, "task_detail": 200}
    rps |= {"search": 99, "toggle": 80, "quick_add": 79}
    targets = _report(built, rps=rps)["targets"]

    def met(name):
        return next(t["met"] for key, t in targets.items() if key.startswith(f"{name} throughput"))

    assert "today throughput >= 0.15 of the bare view" in targets
    assert not met("today")
    assert met("task_detail")
    assert met("project")  # 100 req/s
    assert not met("search")
    assert met("toggle")
    assert not met("quick_add")
    # Against the anonymous floor, not healthz nor the signed-in one.
    assert not any("healthz" in key for key in targets)
    named = {key.split(" throughput")[0] for key in targets if " throughput " in key}
    assert named == set(bench.READ_PAGES) | set(bench.WRITES)
    assert "calendar_feed" not in named
    assert "inbox" in named


def test_p99_must_stay_under_100_ms_on_every_page(built):
    targets = _report(built, latency_us={"tag": 100_000, "toggle": 99_000})["targets"]

    assert not targets["tag p99 < 100 ms at 16 connections"]["met"]
    assert targets["toggle p99 < 100 ms at 16 connections"]["met"]
    assert targets["today p99 < 100 ms at 16 connections"]["value"] == 2.0
    assert bench.FULL.connections == bench.QUICK.connections == 16


def test_list_pages_of_50_rows_weigh_at_most_40_kb(built):
    bodies = {name: {"body_bytes": 30_000, "rows": 50} for name in bench.LIST_PAGES}
    bodies["upcoming"] = {"body_bytes": 40 * 1024 + 1, "rows": 50}
    bodies["my_day"] = {"body_bytes": 90_000, "rows": 12}
    targets = _report(built, bodies=bodies)["targets"]

    assert targets["today HTML <= 40 KB for 50 rows"]["met"] is True
    assert targets["upcoming HTML <= 40 KB for 50 rows"]["met"] is False
    # Fewer rows than a full page: not judged, and said so.
    my_day = targets["my_day HTML <= 40 KB for 50 rows"]
    assert my_day["met"] is None
    assert "12 rows: fewer than 50" in my_day["value"]
    assert "[   n/a] my_day HTML" in bench.table(_report(built, bodies=bodies))


def test_growth_target_compares_10_000_with_100_000_tasks_in_the_full_plan(built):
    assert {10_000, 100_000} <= set(data.FULL.growth)
    assert bench.flat_sizes(data.FULL) == (10_000, 100_000)
    # The quick plan has no 100,000: its two largest sizes, named in the target.
    assert bench.flat_sizes(data.QUICK) == (1_000, 10_000)
    targets = _report(built, growth_us={"search@150": 2500, "tag@150": 2300})["targets"]
    assert not targets["search flat within 1.2x from 100 to 150 tasks"]["met"]
    assert targets["tag flat within 1.2x from 100 to 150 tasks"]["met"]


def test_the_bare_views_live_in_the_bench_urlconf_only(client, settings, django_user_model):
    assert client.get(data.BARE_PATH).status_code == 404  # the production URLconf

    settings.ROOT_URLCONF = "bench.urls"
    anonymous = client.get(data.BARE_PATH)
    refused = client.get(data.BARE_SIGNED_IN_PATH)
    client.force_login(django_user_model.objects.create_user("someone", password="x" * 12))
    signed_in = client.get(data.BARE_SIGNED_IN_PATH)
    today = client.get("/today/")  # the rest of the site as it is

    assert (anonymous.status_code, anonymous.content) == (200, b"hello")
    assert refused.status_code == 302
    assert "/accounts/login/" in refused["Location"]
    assert (signed_in.status_code, signed_in.content) == (200, b"hello")
    assert today.status_code == 200


def test_the_bench_server_runs_with_the_bench_settings(monkeypatch):
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "django_project.settings")
    env = bench.bench_env("sqlite:///x.sqlite3", "redis://127.0.0.1:6379/11")

    assert env["DJANGO_SETTINGS_MODULE"] == "bench.settings"
    assert env["REDIS_URL"] == "redis://127.0.0.1:6379/11"
    from bench import settings as bench_settings
    from django_project import settings as production

    assert bench_settings.ROOT_URLCONF == "bench.urls" != production.ROOT_URLCONF
    assert bench_settings.MIDDLEWARE == production.MIDDLEWARE


def test_counts_the_task_rows_of_a_served_page(client, django_user_model):
    from django.utils import timezone

    user = django_user_model.objects.create_user("rows", password="x" * 12)
    client.force_login(user)
    inbox = ensure_inbox(user)
    for n in range(3):
        Task.objects.create(
            owner=user, project=inbox, title=f"Row {n}", due_date=timezone.localdate()
        )

    body = client.get("/today/").content

    assert bench.body_size(body) == {"body_bytes": len(body), "rows": 3}


def test_workers_are_recycled_rarely_and_apart():
    import runpy

    conf = runpy.run_path(str(bench.ROOT / "gunicorn.conf.py"))

    # Still recycled, against a slow leak; but not every few seconds under load.
    assert 10_000 <= conf["max_requests"] <= 100_000
    assert conf["max_requests_jitter"] >= conf["max_requests"] // 10


def test_parser_case_times_every_kind_of_adversarial_line():
    parser = bench.parser_case(runs=1)

    assert (parser["chars"], parser["runs"]) == (2000, 1)
    assert list(parser["best_ms"]) == list(bench.PARSER_LINES)
    assert parser["slowest_ms"] == max(parser["best_ms"].values()) > 0


def test_asks_for_wrk_when_it_is_missing(monkeypatch, capsys):
    monkeypatch.setattr(bench.shutil, "which", lambda name: None)
    assert bench.main(["--quick"]) == 2
    assert "apt-get install wrk" in capsys.readouterr().err


def test_fresh_postgres_database_is_tuned_for_memory_and_dropped_afterwards(tmp_path):
    reason = load.unreachable(load.POSTGRES_URL, load.REDIS_URL)
    if reason:
        skip_or_fail(reason)

    with bench.fresh_database(load.POSTGRES_URL, tmp_path) as url:
        with psycopg.connect(url) as connection:
            setting = connection.execute("SHOW random_page_cost").fetchone()[0]
        name = url.rsplit("/", 1)[1]

    assert setting == "1.1"
    with psycopg.connect(load.POSTGRES_URL) as admin:
        left = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchall()
    assert left == []
