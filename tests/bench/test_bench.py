"""The benchmark's pieces, checked cheaply: data, query counting, wrk script and report."""

import json
import shutil
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import psycopg
import pytest

from accounts.models import User
from bench import bench, data, load
from conftest import skip_or_fail
from todos.models import Project, Tag, Task

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


def test_counts_queries_for_every_endpoint_with_its_status(built, tmp_path):
    # Static files need collectstatic, which the real run does and tests skip.
    pages = [e for e in bench.endpoints(built, "") if e.name != "static"]
    pages += bench.growth_endpoints(built)
    requests = bench.query_requests(pages)
    out = tmp_path / "counted.json"
    data.count_queries(requests=requests, out=str(out), explain=["today@150"])
    counted = json.loads(out.read_text())
    assert set(counted) == {r["key"] for r in requests}
    statuses = {k: r["status"] for k, r in counted.items()}
    assert statuses == {e.name: e.status for e in pages}
    assert counted["healthz"]["queries"] == 1
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


def test_report_has_the_documented_structure(built):
    names = [e.name for e in bench.endpoints(built, "/static/x.css")]
    growth = [e.name for e in bench.growth_endpoints(built)]
    merged = {name: bench.merge([_slice(100, 2000)]) for name in names + growth}
    counted = {name: {"queries": 3, "queries_cached": 3} for name in names + growth}
    parser = {"chars": 2000, "runs": 1, "best_ms": {"#x": 3.0, "on": 4.5}, "slowest_ms": 4.5}
    report = bench.summarise(merged, counted, TINY, rss=80.0, machine={"cores": 2}, parser=parser)
    assert set(report) >= {"machine", "endpoints", "growth", "worker_rss_mb", "parser"}
    assert list(report["endpoints"]) == names
    assert set(names) == {
        "healthz", "today", "upcoming", "my_day", "calendar_feed", "project", "tag",
        "search", "task_detail", "shared_today", "shared_project", "quick_add", "toggle",
        "api_tasks", "api_quick_add", "static",
    }  # fmt: skip
    for figures in report["endpoints"].values():
        assert set(figures) >= {"rps", "p50_ms", "p99_ms", "queries", "bytes", "ratio_to_baseline"}
        assert figures["ratio_to_baseline"] == 1.0
    assert report["growth"]["today"] == {
        "100": 2.0,
        "150": 2.0,
        "slowdown": 1.0,
        "queries": {"100": 3, "150": 3},
    }
    assert report["targets"]["worker RSS < 150 MB"]["met"]
    assert report["targets"]["parser 2,000 adversarial chars < 50 ms"]["value"] == 4.5
    assert json.loads(json.dumps(report)) == report
    assert "task_detail" in bench.table(report)
    assert "on 4.50" in bench.table(report)


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
