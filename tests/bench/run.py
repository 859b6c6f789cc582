"""hazardrules benchmark: start-up, a 100-finding check, loading, batch throughput, and the same
events through raw durable_rules, the pure-Python evaluator and zen-engine — with ratios.

    python tests/bench/run.py            # full run (10k and 100k findings)
    python tests/bench/run.py --quick    # 2k and 10k findings, fewer repeats
    python tests/bench/run.py --json bench.json

Not part of the test suite: timings belong here, never in a unit test.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

CHECKLIST_100 = HERE / "checklist-100.yaml"


def _median_runs(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs + 1):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times[1:])  # the first run warms caches and is dropped


def _python(code: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def import_profile(top: int = 8) -> list[tuple[str, float]]:
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", "import hazardrules.cli"],
                          capture_output=True, text=True, check=True, cwd=ROOT)
    rows = []
    for line in proc.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            rows.append((parts[2].rstrip(), int(parts[1]) / 1e6))
    rows.sort(key=lambda r: -r[1])
    return rows[:top]


LOAD_CODE = """
import json, resource, time, tempfile, os
os.environ["HAZARDRULES_CACHE_DIR"] = tempfile.mkdtemp()
t0 = time.perf_counter()
from hazardrules.catalog import load_catalog
cat = load_catalog(cache=False)
t1 = time.perf_counter()
from hazardrules.engine.durable_adapter import DurableEvaluator
ev = DurableEvaluator()
for std in cat.standards.values():
    ev.compiled(std); ev.compiled(std, "site")
t2 = time.perf_counter()
load_catalog()  # writes the cache
t3 = time.perf_counter()
load_catalog()  # reads it
t4 = time.perf_counter()
print(json.dumps({"load_cold_s": t1 - t0, "compile_s": t2 - t1, "load_cached_s": t4 - t3,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def make_jsonl(catalog, n_findings: int, per_checklist: int = 100) -> Path:
    from generate import generate_checklist

    fd, name = tempfile.mkstemp(suffix=".jsonl")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        for seed in range(n_findings // per_checklist):
            handle.write(json.dumps(generate_checklist(catalog, per_checklist, seed), ensure_ascii=False))
            handle.write("\n")
    return Path(name)


def batch_throughput(path: Path, n_findings: int, jobs: int) -> float:
    from hazardrules.batch import check_many, iter_sources

    start = time.perf_counter()
    result = check_many(iter_sources([str(path)]), jobs=jobs)
    elapsed = time.perf_counter() - start
    assert not result.errors, result.errors[:1]
    return n_findings / elapsed


def engine_events(catalog, n: int):
    """The answered facts of n generated findings, typed as the judge would post them."""
    from generate import generate_checklist

    from hazardrules.checklist import parse_checklist

    events = []
    seed = 10_000
    while len(events) < n:
        data = generate_checklist(catalog, 100, seed)
        checklist = parse_checklist(data, catalog, "<bench>", {})
        for f in checklist.findings:
            events.append({**checklist.enterprise.answers, **f.facts})
        seed += 1
    return events[:n]


def raw_durable(std, events) -> float:
    """The floor: the same rulesets on a bare durable_rules Host, assert + delete_state only."""
    from durable import engine

    from hazardrules import conditions as cond
    from hazardrules.engine.durable_adapter import FACT_PREFIX, PHASE, _value, compile_standard

    compiled = compile_standard(std)
    host = engine.Host()
    hits = []
    for chunk in compiled.chunks:
        rules = {r: {"all": [{"m": c}], "run": lambda c: hits.append(1)} for r, c in chunk.rules.items()}
        rules["zz"] = {"all": [{"m": {"$gte": {PHASE: 0}}}], "run": lambda c: None}
        host.set_rulesets({chunk.name + "_raw": rules})
    posts = []
    for e in events:
        fact = {FACT_PREFIX + k: _value(v) for k, v in e.items()
                if v is not cond.UNKNOWN and v is not cond.NOT_APPLICABLE}
        posts.append(fact)
    start = time.perf_counter()
    sid = 0
    for fact in posts:
        for chunk in compiled.chunks:
            own = {k: v for k, v in fact.items() if k in chunk.attributes}
            if not own:
                continue
            sid += 1
            own.update(sid=str(sid), id=f"{sid}f", **{PHASE: 2})
            host.assert_fact(chunk.name + "_raw", own)
            host.delete_state(chunk.name + "_raw", str(sid))
    return len(events) / (time.perf_counter() - start)


def evaluator_rate(evaluator, std, events) -> float:
    start = time.perf_counter()
    for e in events:
        evaluator.met(std, e, {})
    return len(events) / (time.perf_counter() - start)


def judge_rate(catalog, n: int) -> float:
    """Full hazardrules judgment in process (parsing excluded): findings per second."""
    from generate import generate_checklist

    from hazardrules.checklist import parse_checklist
    from hazardrules.judge import Judge

    checklists = [parse_checklist(generate_checklist(catalog, 100, 20_000 + s), catalog, "<b>", {})
                  for s in range(max(1, n // 100))]
    judge = Judge(catalog)
    judge.check(checklists[0])
    start = time.perf_counter()
    for c in checklists:
        judge.check(c)
    return sum(len(c.findings) for c in checklists) / (time.perf_counter() - start)


def zen_rate(std, events) -> float | None:
    try:
        import zen
    except ImportError:
        return None
    from zen_table import decision_model

    from hazardrules import conditions as cond

    decision = zen.ZenEngine().create_decision(decision_model(std.finding_criteria))
    contexts = [{f"f_{k}": (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in e.items()
                 if v is not cond.UNKNOWN and v is not cond.NOT_APPLICABLE} for e in events]
    start = time.perf_counter()
    for ctx in contexts:
        decision.evaluate(ctx)
    return len(events) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    runs = 3 if args.quick else 7
    sizes = (2_000, 10_000) if args.quick else (10_000, 100_000)

    from hazardrules.catalog import load_catalog
    from hazardrules.engine import durable_available

    catalog = load_catalog()
    std = catalog.standards["gongmao-2023"]
    results: dict = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                    "platform": platform.platform()},
        "data_version": catalog.version.to_dict(),
    }
    exe = [sys.executable, "-m", "hazardrules"]
    results["version_s"] = _median_runs(exe + ["--version"], runs)
    results["check_100_s"] = _median_runs(exe + ["check", str(CHECKLIST_100), "--exit-zero"], runs)
    results["import_profile"] = import_profile()
    results.update(_python(LOAD_CODE))

    batch = {}
    for n in sizes:
        path = make_jsonl(catalog, n)
        try:
            for jobs in (1, 2):
                batch[f"{n}_jobs{jobs}"] = batch_throughput(path, n, jobs)
        finally:
            path.unlink()
    results["batch_findings_per_s"] = batch

    events = engine_events(catalog, 5_000)
    from hazardrules.engine.python_eval import PythonEvaluator

    engines = {"python_evaluator": evaluator_rate(PythonEvaluator(), std, events),
               "hazardrules_judge": judge_rate(catalog, 5_000)}
    if durable_available():
        from hazardrules.engine.durable_adapter import DurableEvaluator

        engines["raw_durable_rules"] = raw_durable(std, events)
        engines["hazardrules_durable_adapter"] = evaluator_rate(DurableEvaluator(), std, events)
    zen_speed = zen_rate(std, events)
    if zen_speed is not None:
        engines["zen_engine"] = zen_speed
    results["events_per_s"] = engines
    ratios = {}
    if "raw_durable_rules" in engines:
        raw = engines["raw_durable_rules"]
        ratios["adapter_overhead_vs_raw"] = raw / engines["hazardrules_durable_adapter"]
        ratios["judge_overhead_vs_raw"] = raw / engines["hazardrules_judge"]
        if "zen_engine" in engines:
            ratios["zen_vs_raw_durable"] = engines["zen_engine"] / raw
    big = sizes[-1]
    ratios["jobs2_speedup"] = batch[f"{big}_jobs2"] / batch[f"{big}_jobs1"]
    results["ratios"] = ratios
    results["targets"] = {
        "check_100_le_0.5s": results["check_100_s"] <= 0.5,
        "batch_ge_5000_per_s_per_core": batch[f"{big}_jobs1"] >= 5000,
        "overhead_le_1.5x_raw": ratios.get("judge_overhead_vs_raw", 99) <= 1.5,
        "jobs2_ge_1.7x": ratios["jobs2_speedup"] >= 1.7,
    }
    _print_table(results)
    text = json.dumps(results, ensure_ascii=False, indent=2)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    print(text)


def _print_table(r: dict) -> None:
    rows = [
        ("hazardrules --version (whole process, median)", f"{r['version_s']:.3f} s"),
        ("hazardrules check checklist-100.yaml (whole process, median)", f"{r['check_100_s']:.3f} s"),
        ("criteria load, cold (parse + validate)", f"{r['load_cold_s']:.3f} s"),
        ("criteria load, from the cached bundle", f"{r['load_cached_s'] * 1000:.1f} ms"),
        ("compile all rulesets (durable_rules)", f"{r['compile_s']:.3f} s"),
        ("peak memory after load and compile", f"{r['peak_rss_mb']:.0f} MB"),
    ]
    rows += [(f"batch {k.replace('_jobs', ' findings, --jobs ')}", f"{v:,.0f} findings/s")
             for k, v in r["batch_findings_per_s"].items()]
    rows += [(f"same events: {k}", f"{v:,.0f} /s") for k, v in r["events_per_s"].items()]
    rows += [(f"ratio {k}", f"{v:.2f}") for k, v in r["ratios"].items()]
    rows += [(f"target {k}", "met" if ok else "NOT met") for k, ok in r["targets"].items()]
    width = max(len(a) for a, _ in rows)
    print("\n".join(f"{a.ljust(width)}  {b}" for a, b in rows))
    print("import profile (cumulative s):", ", ".join(f"{n.strip()} {t:.3f}" for n, t in r["import_profile"]))
    print()


if __name__ == "__main__":
    main()
