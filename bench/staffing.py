"""Staffing search and recommendation latency at 1k / 10k / 100k consultants.

    .venv/bin/python bench/staffing.py [--sizes 1000 10000 100000] [--out var/bench]

Profile vectors are built the way the service builds them: every skill, title and practice
phrase is embedded once with all-MiniLM-L6-v2 and each profile vector is the normalised,
proficiency-weighted sum of its phrases (``models/staffing/vectors.py``). The profiles are
drawn from ``models/staffing/synthetic.py``. Queries are composed requests (a role and one to
three skills). For each size the script reports, beside an exact numpy scan of the same
vectors: our search path (in-memory below the ANN threshold, LanceDB IVF above it), its p50 /
p95 latency and recall@10 against the exact top 10. Ties count as hits: a result whose exact
similarity equals the 10th best is as right as the one the exact scan happened to list.
At the largest size it also loads the firm into SQLite with assignments and projects and
times the whole recommendation (search, constraints, ranking, reasons).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from sqlalchemy import insert
from sqlalchemy.orm import Session

from domain.db import make_engine, make_session_factory, unit_of_work
from domain.tables import Assignment, Base, Client, Project
from models.encoder import MiniLMEncoder
from models.staffing import SkillNeed, StaffingRanker, StaffingRecommender, StaffingRequest
from models.staffing.index import StaffingIndex
from models.staffing.profiles import Profile, SkillLevel
from models.staffing.store import VectorStore
from models.staffing.synthetic import PRACTICES, REGIONS, TITLES, generate_people, insert_people
from models.staffing.vectors import PhraseBank, compose_profiles, compose_request

ANN_THRESHOLD = 20_000  # the service default (settings.vector_store.ann_threshold)
QUERIES = 200


def ms(values: list[float], q: float) -> float:
    return float(np.percentile(values, q) * 1000)


def as_profiles(people: list) -> list[Profile]:  # type: ignore[type-arg]
    return [
        Profile(
            id=i,
            external_id=p.external_id,
            name=p.name,
            role_level=p.role_level,
            title=p.title,
            practice=p.practice,
            region=p.region,
            languages=tuple(p.languages),
            cost_rate=p.cost_rate,
            bill_rate=p.bill_rate,
            capacity_hours=40,
            utilization_target=0.8,
            skills={s.lower(): SkillLevel(s, lv, yr) for s, (lv, yr) in p.skills.items()},
        )
        for i, p in enumerate(people)
    ]


def sample_requests(n: int, seed: int) -> list[tuple[str, dict[str, int]]]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        practice = rng.choice(sorted(PRACTICES))
        skills = rng.sample(PRACTICES[practice], rng.randint(1, 3))
        out.append((rng.choice(TITLES[practice]), {s: rng.randint(2, 5) for s in skills}))
    return out


def recall_at_10(exact_sims: np.ndarray, got: np.ndarray, id_to_row: dict[int, int]) -> float:
    kth = np.partition(-exact_sims, 9)[9] * -1
    rows = [id_to_row[int(i)] for i in got[:10]]
    return float(np.mean([exact_sims[r] >= kth - 1e-6 for r in rows])) if rows else 0.0


def bench_search(
    size: int, vectors: np.ndarray, regions: list[str], queries: np.ndarray, where: Path
) -> dict:
    ids = list(range(size))
    store = VectorStore(
        str(where), "consultants", dim=vectors.shape[1], ann_threshold=ANN_THRESHOLD
    )
    t = time.perf_counter()
    store.upsert(ids, regions, ["bench"] * size, vectors)
    write_s = time.perf_counter() - t
    t = time.perf_counter()
    built = store.ensure_ann_index()
    build_s = time.perf_counter() - t if built else 0.0
    id_to_row = {i: i for i in ids}

    exact_t, ours_t, recalls = [], [], []
    # The exact reference gets the same single BLAS thread as the service's in-memory path.
    limit = threadpool_limits(1, user_api="blas")
    for q in queries[:10]:  # warm both paths
        store.search(q, 10)
        vectors @ q
    for q in queries:
        t = time.perf_counter()
        sims = vectors @ q
        top = np.argpartition(-sims, 9)[:10]
        top = top[np.argsort(-sims[top])]
        exact_t.append(time.perf_counter() - t)
        t = time.perf_counter()
        got, _ = store.search(q, 10)
        ours_t.append(time.perf_counter() - t)
        recalls.append(recall_at_10(sims, got, id_to_row))
    limit.restore_original_limits()
    region_t = []
    for i, q in enumerate(queries[:100]):
        region = sorted(REGIONS)[i % len(REGIONS)]
        t = time.perf_counter()
        store.search(q, 10, region=region)
        region_t.append(time.perf_counter() - t)
    return {
        "size": size,
        "mode": store.mode,
        "write_s": round(write_s, 1),
        "index_build_s": round(build_s, 1),
        "numpy_p50_ms": round(ms(exact_t, 50), 2),
        "ours_p50_ms": round(ms(ours_t, 50), 2),
        "ours_p95_ms": round(ms(ours_t, 95), 2),
        "ours_region_p50_ms": round(ms(region_t, 50), 2),
        "recall_at_10": round(float(np.mean(recalls)), 4),
    }


def load_firm(session: Session, people: list, seed: int) -> list[int]:  # type: ignore[type-arg]
    """The people, 400 projects of 80 clients, and 1-2 assignments for 70% of the people."""
    ids = insert_people(session, people)
    rng = random.Random(seed)
    session.execute(
        insert(Client), [{"external_id": f"C{i}", "name": f"Client {i}"} for i in range(80)]
    )
    base = date(2026, 1, 1)
    projects = []
    for i in range(400):
        start = base + timedelta(days=rng.randint(0, 500))
        projects.append(
            {
                "external_id": f"P{i}",
                "client_id": 1 + i % 80,
                "name": f"Project {i}",
                "engagement_type": "implementation",
                "contract_type": "time_and_materials",
                "practice": "Data & AI",
                "region": "EMEA",
                "budget_hours": 5000,
                "budget_amount": 1e6,
                "bill_rate": rng.choice([150.0, 180.0, 220.0]),
                "start_date": start,
                "end_date": start + timedelta(days=rng.randint(90, 400)),
                "status": "active",
            }
        )
    session.execute(insert(Project), projects)
    rows = []
    for cid in ids:
        for _ in range(rng.choice([0, 1, 1, 2]) if rng.random() < 0.7 else 0):
            p = rng.randrange(400)
            start = projects[p]["start_date"] + timedelta(days=rng.randint(0, 60))
            rows.append(
                {
                    "project_id": p + 1,
                    "consultant_id": cid,
                    "role": "Consultant",
                    "hours_per_week": rng.choice([8.0, 16.0, 24.0, 32.0, 40.0]),
                    "start_date": start,
                    "end_date": start + timedelta(days=rng.randint(30, 200)),
                    "billable": True,
                }
            )
    for i in range(0, len(rows), 20_000):
        session.execute(insert(Assignment), rows[i : i + 20_000])
    return ids


def bench_end_to_end(people: list, encoder: MiniLMEncoder, where: Path, seed: int) -> dict:  # type: ignore[type-arg]
    where.mkdir(parents=True, exist_ok=True)
    engine = make_engine(f"sqlite:///{where / 'firm.db'}")
    Base.metadata.create_all(engine)
    sessions = make_session_factory(engine)
    t = time.perf_counter()
    with unit_of_work(sessions) as s:
        load_firm(s, people, seed)
    load_s = time.perf_counter() - t
    store = VectorStore(
        str(where / "lancedb"), "consultants", dim=encoder.dim, ann_threshold=ANN_THRESHOLD
    )
    rec = StaffingRecommender(StaffingIndex(store, encoder), StaffingRanker())
    t = time.perf_counter()
    with unit_of_work(sessions) as s:
        report = rec.refresh(s, lambda done, total: print(f"  indexed {done}/{total}", flush=True))
    index_s = time.perf_counter() - t
    t = time.perf_counter()
    with unit_of_work(sessions) as s:
        unchanged = rec.refresh(s)
    noop_s = time.perf_counter() - t

    rng = random.Random(seed + 1)
    asks = sample_requests(60, seed + 2)
    timings, shown = [], 0
    with unit_of_work(sessions) as s:
        for i, (role, skills) in enumerate(asks):
            start = date(2026, 9, 1) + timedelta(days=rng.randint(0, 300))
            req = StaffingRequest(
                role=role,
                start=start,
                end=start + timedelta(days=rng.choice([30, 90, 180])),
                hours_per_week=rng.choice([16.0, 24.0, 32.0, 40.0]),
                required=tuple(SkillNeed(n, lv) for n, lv in skills.items()),
                region=sorted(REGIONS)[i % 3] if i % 2 else None,
                project_id=rng.randint(1, 400) if i % 3 else None,
            )
            t = time.perf_counter()
            out = rec.recommend(s, req)
            if i >= 10:  # the first requests warm SQLite's page cache and the phrase bank
                timings.append(time.perf_counter() - t)
            shown += len(out.candidates)
    engine.dispose()
    return {
        "size": len(people),
        "db_load_s": round(load_s, 1),
        "index_from_db_s": round(index_s, 1),
        "indexed": report.indexed,
        "noop_refresh_ms": round(noop_s * 1000, 1),
        "unchanged_refresh_upserts": unchanged.upserted,
        "recommend_p50_ms": round(ms(timings, 50), 1),
        "recommend_p95_ms": round(ms(timings, 95), 1),
        "mean_candidates": round(shown / len(asks), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--out", type=Path, default=Path("var/bench"))
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--skip-end-to-end", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()

    encoder = MiniLMEncoder()
    print("embedding the phrase vocabulary with MiniLM ...", flush=True)
    biggest = max(args.sizes)
    t = time.perf_counter()
    people = generate_people(biggest, seed=args.seed)
    print(f"generated {biggest} profiles in {time.perf_counter() - t:.1f} s", flush=True)
    bank = PhraseBank(encoder)
    t = time.perf_counter()
    _, vectors = compose_profiles(bank, as_profiles(people))
    print(
        f"composed {biggest} vectors from {len(bank)} phrases in {time.perf_counter() - t:.1f} s",
        flush=True,
    )
    queries = np.stack(
        [
            compose_request(bank, role=role, required=skills, nice_to_have={})
            for role, skills in sample_requests(QUERIES, args.seed)
        ]
    )

    work = Path(tempfile.mkdtemp(prefix="bench-staffing-"))
    results = []
    try:
        for size in sorted(args.sizes):
            print(f"search at {size} ...", flush=True)
            rows = rng_rows = (
                np.random.default_rng(size).permutation(biggest)[:size]
                if size < biggest
                else np.arange(biggest)
            )
            del rng_rows
            res = bench_search(
                size,
                np.ascontiguousarray(vectors[rows]),
                [people[i].region for i in rows],
                queries,
                work / f"s{size}",
            )
            print("  ", res, flush=True)
            results.append(res)
        e2e = None
        if not args.skip_end_to_end:
            print(
                f"end to end at {biggest} (SQLite firm, index built from the tables) ...",
                flush=True,
            )
            e2e = bench_end_to_end(people, encoder, work / "e2e", args.seed)
            print("  ", e2e, flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print()
    print(
        "| consultants | path | numpy exact p50 | ours p50 | ours p95 | ours p50, region filter | recall@10 | index build |"
    )
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(
            f"| {r['size']:,} | {r['mode']} | {r['numpy_p50_ms']:.2f} ms | {r['ours_p50_ms']:.2f} ms | {r['ours_p95_ms']:.2f} ms | {r['ours_region_p50_ms']:.2f} ms | {r['recall_at_10']:.3f} | {r['index_build_s']:.1f} s |"
        )
    if e2e:
        print()
        print(
            f"end to end at {e2e['size']:,}: recommend p50 {e2e['recommend_p50_ms']} ms, p95 {e2e['recommend_p95_ms']} ms "
            f"(search, constraints, ranking, reasons; {e2e['mean_candidates']} candidates a request); "
            f"index from the tables {e2e['index_from_db_s']} s, no-op refresh {e2e['noop_refresh_ms']} ms"
        )
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "staffing.json").write_text(
        json.dumps({"search": results, "end_to_end": e2e}, indent=2)
    )
    plot(results, args.out / "staffing.png")
    print(
        f"\nwritten {args.out / 'staffing.json'} and {args.out / 'staffing.png'}; total {time.perf_counter() - started:.0f} s"
    )


def plot(results: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3.5))
    sizes = [r["size"] for r in results]
    ax.plot(sizes, [r["numpy_p50_ms"] for r in results], "o-", label="numpy exact scan")
    ax.plot(sizes, [r["ours_p50_ms"] for r in results], "s-", label="ours (memory / LanceDB IVF)")
    for r in results:
        ax.annotate(
            f"recall {r['recall_at_10']:.3f}",
            (r["size"], r["ours_p50_ms"]),
            fontsize=7,
            textcoords="offset points",
            xytext=(4, 6),
        )
    ax.set_xscale("log")
    ax.set_xlabel("consultants")
    ax.set_ylabel("top-10 search p50 (ms)")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)


if __name__ == "__main__":
    main()
