"""Helper of benchmarks/run (see benchmarks/README.md). Subcommands:

prepare BASE_URL STATE.json   benchmark users, summaries, sign-ins; writes the pages to load
export KIND CYCLE_PK          (in a subprocess of its own) time and peak memory of one export
exports STATE.json            runs `export` for xlsx and docx of the big cycle
report STATE.json OUT.md      RESULTS.md from the state and the wrk results
"""

import datetime
import json
import os
import platform
import re
import resource
import secrets
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plan_portal.settings")

FLOOR_RATIO = 4.0
XLSX_SECONDS, XLSX_MB = 3.0, 150.0


def _django():
    import django

    django.setup()


def _user(username, agency, role):
    from agencies.models import User

    password = secrets.token_urlsafe(18)
    user, _ = User.objects.update_or_create(
        username=username,
        defaults={
            "agency": agency,
            "role": role,
            "email": f"{username}@example.kz",
            "is_active": True,
        },
    )
    user.set_password(password)
    user.save()
    return user, password


def _totp(user):
    """A confirmed authenticator for the user (a fresh secret each run) and its current code."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    return device


def _code(device):
    from django_otp.oath import totp

    code = totp(
        device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift
    )
    return f"{code:06d}"


def _csrf(session, base, path):
    response = session.get(base + path, timeout=30)
    response.raise_for_status()
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text)
    return match.group(1), response


def _sign_in(base, username, password, device=None, check_path="/"):
    import requests

    session = requests.Session()
    token, _ = _csrf(session, base, "/login/")
    response = session.post(
        base + "/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": base + "/login/"},
        timeout=30,
    )
    response.raise_for_status()
    if device is not None:
        token, page = _csrf(session, base, "/account/two-factor/")
        if "/account/two-factor/" not in page.url:
            raise SystemExit(f"{username}: expected the two-factor step, got {page.url}")
        response = session.post(
            base + "/account/two-factor/",
            data={"code": _code(device), "csrfmiddlewaretoken": token},
            headers={"Referer": base + "/account/two-factor/"},
            timeout=30,
        )
        response.raise_for_status()
    check = session.get(base + check_path, timeout=120, allow_redirects=False)
    if check.status_code != 200:
        raise SystemExit(f"{username}: {check_path} answered {check.status_code} after sign-in")
    return f"sessionid={session.cookies['sessionid']}"


def _ensure_summary(cycle, user):
    from reporting import services
    from reporting.models import Summary

    summary = Summary.objects.filter(cycle=cycle).first()
    if summary is None:
        started = time.perf_counter()
        summary = services.summary_generate(cycle=cycle, user=user)
        print(
            f"  generated the summary of cycle {cycle.pk} in {time.perf_counter() - started:.1f} s"
        )
    return summary


def prepare(base, state_path):
    _django()
    from django.db.models import Count

    from agencies.models import User
    from measures.models import Measure, Plan
    from reporting.models import AnnualReport, ReportEntry, ReportingCycle

    counts = {
        "plans": Plan.objects.count(),
        "measures": Measure.objects.count(),
        "cycles": ReportingCycle.objects.count(),
        "reports": AnnualReport.objects.count(),
        "entries": ReportEntry.objects.count(),
    }
    # The pages' cycle: BENCH_CYCLE, else a typical one of the scale data (the median number of
    # entries among cycles with reports), not the one-off 3,600-measure plan.
    if os.environ.get("BENCH_CYCLE"):
        cycle = ReportingCycle.objects.get(pk=int(os.environ["BENCH_CYCLE"]))
    else:
        cycles = list(
            ReportingCycle.objects.filter(plan__code__startswith="scale-", summary__isnull=False)
            .annotate(n_entries=Count("reports__entries"))
            .filter(n_entries__gt=0)
            .order_by("n_entries", "pk")
        )
        if not cycles:
            raise SystemExit("No cycle has report entries: generate the scale data first.")
        cycle = cycles[len(cycles) // 2]
    report = (
        AnnualReport.objects.filter(cycle=cycle)
        .annotate(n=Count("entries"))
        .order_by("-n", "pk")
        .first()
    )
    officer, officer_pw = _user("bench.officer", report.agency, User.Role.OFFICER)
    secretariat, secretariat_pw = _user(
        "bench.secretariat", cycle.coordinator, User.Role.SECRETARIAT
    )
    device = _totp(secretariat)
    summary = _ensure_summary(cycle, secretariat)

    plan = cycle.plan
    officer_cookie = _sign_in(
        base, officer.username, officer_pw, check_path=f"/reports/{report.pk}/"
    )
    secretariat_cookie = _sign_in(
        base,
        secretariat.username,
        secretariat_pw,
        device,
        check_path=f"/cycles/{cycle.pk}/dashboard/",
    )
    state = {
        "counts": counts,
        "page_cycle": {
            "pk": cycle.pk,
            "year": cycle.year,
            "plan": plan.code,
            "plan_measures": plan.measures.count(),
            "reports": cycle.reports.count(),
            "entries": ReportEntry.objects.filter(report__cycle=cycle).count(),
            "report_pk": report.pk,
            "report_entries": report.n,
            "summary_items": summary.items.count(),
        },
        "pages": [
            {"name": "floor", "path": "/benchmark/floor/", "cookie": secretariat_cookie},
            {"name": "plan page", "path": f"/plans/{plan.code}/", "cookie": secretariat_cookie},
            {
                # Measure 6 has the most executors (the 17 akimats) and three indicators: the
                # page's table and charts of their totals by year.
                "name": "measure page",
                "path": f"/plans/{plan.code}/measures/6/",
                "cookie": secretariat_cookie,
            },
            {
                "name": "officer's report",
                "path": f"/reports/{report.pk}/",
                "cookie": officer_cookie,
            },
            {
                "name": "dashboard",
                "path": f"/cycles/{cycle.pk}/dashboard/",
                "cookie": secretariat_cookie,
            },
            {
                "name": "summary page",
                "path": f"/cycles/{cycle.pk}/summary/",
                "cookie": secretariat_cookie,
            },
            {
                "name": "summary XLSX",
                "path": f"/cycles/{cycle.pk}/summary.xlsx",
                "cookie": secretariat_cookie,
            },
        ],
    }
    Path(state_path).write_text(json.dumps(state, indent=2, ensure_ascii=False))
    os.chmod(state_path, 0o600)  # session cookies


def _rss_mb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def export(kind, cycle_pk):
    """One export in this process: time (untraced, after a warm-up run) and memory (tracemalloc
    peak of a traced run; the process's peak RSS and its growth over the RSS before exporting)."""
    _django()
    import tracemalloc

    from reporting import exports
    from reporting.models import Summary

    function = exports.summary_xlsx if kind == "xlsx" else exports.summary_docx
    rss_before = _rss_mb()
    summary = Summary.objects.get(cycle_id=cycle_pk)
    started = time.perf_counter()
    content = function(summary)
    first = time.perf_counter() - started
    maxrss_after_first = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    times = []
    for _ in range(2):
        summary = Summary.objects.get(cycle_id=cycle_pk)
        started = time.perf_counter()
        function(summary)
        times.append(time.perf_counter() - started)
    tracemalloc.start()
    summary = Summary.objects.get(cycle_id=cycle_pk)
    function(summary)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        json.dumps(
            {
                "kind": kind,
                "bytes": len(content),
                "first_s": first,
                "best_s": min(times),
                "median_s": sorted([*times, first])[1],
                "tracemalloc_peak_mb": peak / 1024 / 1024,
                "rss_before_mb": rss_before,
                "maxrss_first_mb": maxrss_after_first,
                "rss_growth_mb": maxrss_after_first - rss_before,
            }
        )
    )


def run_exports(state_path):
    """On the database DATABASE_URL names (the one-plan data): the cycle whose summary has the
    most items, a summary generated for it if it has none, then each export in a subprocess."""
    _django()
    from django.db.models import Count

    from agencies.models import User
    from reporting.models import ReportEntry, ReportingCycle

    state = {}
    big = (
        ReportingCycle.objects.annotate(
            n_measures=Count("plan__measures", distinct=True),
            n_items=Count("summary__items", distinct=True),
        )
        .order_by("-n_items", "-n_measures", "pk")
        .first()
    )
    user, _ = _user("bench.secretariat", big.coordinator, User.Role.SECRETARIAT)
    summary = _ensure_summary(big, user)
    state["big_cycle"] = {
        "pk": big.pk,
        "year": big.year,
        "plan": big.plan.code,
        "plan_measures": big.n_measures,
        "entries": ReportEntry.objects.filter(report__cycle=big).count(),
        "summary_items": summary.items.count(),
        "summary_sent": summary.is_sent,
    }
    results = {}
    for kind in ("xlsx", "docx"):
        output = subprocess.run(  # noqa: S603 (this interpreter, this file, a cycle's pk)
            [sys.executable, __file__, "export", kind, str(state["big_cycle"]["pk"])],
            check=True,
            capture_output=True,
            text=True,
            timeout=600,
        ).stdout
        results[kind] = json.loads(output.strip().splitlines()[-1])
        print(f"  {kind}: {results[kind]}")
    state["exports"] = results
    Path(state_path).write_text(json.dumps(state, indent=2, ensure_ascii=False))


def _machine():
    import django
    import psycopg

    _django()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    with open("/proc/meminfo") as meminfo:
        mem_kb = int(meminfo.readline().split()[1])
    cpu = ""
    with open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "django": django.get_version(),
        "postgresql": pg,
        "psycopg": psycopg.__version__,
        "kernel": platform.release(),
    }


def _ms(us):
    return f"{us / 1000:.1f}"


def report(state_path, out):
    state = json.loads(Path(state_path).read_text())
    machine = _machine()
    env = {k[6:].lower(): v for k, v in os.environ.items() if k.startswith("BENCH_")}
    results = {}
    for index, page in enumerate(state["pages"]):
        text = (Path(state_path).parent / f"wrk-{index}.out").read_text()
        match = re.search(r"^BENCH (.*)$", text, re.M)
        if match is None:
            raise SystemExit(f"No result line in wrk's output for {page['name']}:\n{text}")
        r = {k: float(v) for k, v in (kv.split("=") for kv in match.group(1).split())}
        r = {k: (v if k == "rps" else int(v)) for k, v in r.items()}
        r["errors"] = r["connect"] + r["read"] + r["write"] + r["timeout"] + r["status"]
        results[page["name"]] = r
    state["wrk"] = results
    Path(state_path).write_text(json.dumps(state, indent=2, ensure_ascii=False))
    floor = results["floor"]
    floor_p95 = max(floor["p95_us"], 1)
    lines = [
        "# Benchmark results",
        "",
        f"Written by `benchmarks/run` on {datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}. "
        "How it is run and what it measures: benchmarks/README.md.",
        "",
        "## Machine",
        "",
        f"- {machine['nproc']} CPUs ({machine['cpu']}), {machine['memory_gb']} GB memory, "
        f"Linux {machine['kernel']}",
        f"- Python {machine['python']}, Django {machine['django']}, "
        f"PostgreSQL {machine['postgresql']} (psycopg {machine['psycopg']}), same machine",
        f"- gunicorn: {env.get('workers')} sync workers on 127.0.0.1, DEBUG=0; "
        f"wrk {env.get('wrk_version', '')}: -t2 -c16, {env.get('duration')} per page after a "
        f"{env.get('warmup')} warm-up, on the same machine (it competes for the CPUs)",
        "",
        "## Data",
        "",
        f"- Scale data: `generate_scale_data {env.get('generator_args', '')}` "
        f"(N = {env.get('plans')})",
        "- " + ", ".join(f"{v:,} {k}" for k, v in state["counts"].items()),
        f"- Pages' cycle: plan `{state['page_cycle']['plan']}` "
        f"({state['page_cycle']['plan_measures']:,} measures), year {state['page_cycle']['year']} "
        f"(cycle {state['page_cycle']['pk']}): {state['page_cycle']['reports']} reports, "
        f"{state['page_cycle']['entries']:,} entries, summary of "
        f"{state['page_cycle']['summary_items']:,} items; the officer's report has "
        f"{state['page_cycle']['report_entries']} entries",
        f"- Big cycle (exports): plan `{state['big_cycle']['plan']}` "
        f"({state['big_cycle']['plan_measures']:,} measures), year {state['big_cycle']['year']}: "
        f"{state['big_cycle']['entries']:,} entries, summary of "
        f"{state['big_cycle']['summary_items']:,} items",
        "",
        "## Pages under load",
        "",
        "| Page | Path | Requests | Requests/s | p50 ms | p95 ms | p99 ms | Errors "
        "| p95 / floor p95 | Target |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    verdicts = []
    for page in state["pages"]:
        r = results[page["name"]]
        errors = r["errors"]
        ratio = r["p95_us"] / floor_p95
        ok = errors == 0 and (page["name"] == "floor" or ratio <= FLOOR_RATIO)
        verdicts.append((page["name"], ok, errors, ratio))
        lines.append(
            f"| {page['name']} | `{page['path']}` | {r['requests']:,} | {r['rps']:.1f} | "
            f"{_ms(r['p50_us'])} | "
            f"{_ms(r['p95_us'])} | {_ms(r['p99_us'])} | {errors} | {ratio:.2f}× | "
            f"{'met' if ok else 'MISSED'} |"
        )
    lines += [
        "",
        "Errors = socket errors (connect, read, write, timeout) + responses outside 2xx. "
        "Error breakdown per page: "
        + "; ".join(
            f"{name}: connect {results[name]['connect']}, read {results[name]['read']}, "
            f"write {results[name]['write']}, timeout {results[name]['timeout']}, "
            f"non-2xx {results[name]['status']}"
            for name in results
        )
        + ".",
        "",
        "## Summary exports of the big cycle (one process, no server)",
        "",
        "| Format | Size | First run s | Best of 2 more s | tracemalloc peak MB | RSS growth MB "
        "| Process peak RSS MB | Target |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    export_ok = {}
    for kind, r in state.get("exports", {}).items():
        peak = max(r["tracemalloc_peak_mb"], r["rss_growth_mb"])
        if kind == "xlsx":
            ok = r["first_s"] < XLSX_SECONDS and peak < XLSX_MB
            target = "met" if ok else "MISSED"
            export_ok[kind] = ok
        else:
            target = "(no target; reported)"
        lines.append(
            f"| {kind.upper()} | {r['bytes'] / 1024:,.0f} KB | {r['first_s']:.2f} | "
            f"{r['best_s']:.2f} | {r['tracemalloc_peak_mb']:.1f} | {r['rss_growth_mb']:.1f} | "
            f"{r['maxrss_first_mb']:.1f} | {target} |"
        )
    lines += [
        "",
        'Time includes the export\'s database queries. "First run" is a cold process (what a '
        "worker does on the first export); the target is judged on it. Memory: tracemalloc's peak "
        "of Python allocations during one export, and the growth of the process's peak RSS over "
        "its RSS before the first export (Django already loaded); the target is judged on the "
        "larger of the two.",
        "",
        "## Targets",
        "",
    ]
    all_errors = sum(r["errors"] for r in results.values())
    lines.append(
        f"- No errors under load: {'met' if all_errors == 0 else f'MISSED ({all_errors} errors)'}"
    )
    for name, _ok, _errors, ratio in verdicts:
        if name != "floor":
            lines.append(
                f"- {name}: p95 {ratio:.2f}× the floor's (≤ {FLOOR_RATIO:.0f}×): "
                f"{'met' if ratio <= FLOOR_RATIO else 'MISSED'}"
            )
    if "xlsx" in state.get("exports", {}):
        r = state["exports"]["xlsx"]
        lines.append(
            f"- Summary XLSX of {state['big_cycle']['summary_items']:,} items "
            f"< {XLSX_SECONDS:.0f} s and "
            f"< {XLSX_MB:.0f} MB: {'met' if export_ok['xlsx'] else 'MISSED'} "
            f"({r['first_s']:.2f} s, {max(r['tracemalloc_peak_mb'], r['rss_growth_mb']):.0f} MB)"
        )
    lines.append("")
    Path(out).write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    {"prepare": prepare, "export": export, "exports": run_exports, "report": report}[command](*args)
