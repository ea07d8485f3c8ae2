"""Write ``history_sample.csv``: a made-up firm's history export in the documented format.

Run from the project root: ``.venv/bin/python -m evals.datasets.risk.make_history_sample``.
Overruns depend on the estimate confidence the bid team recorded, on new clients and on
fixed fees, with noise; the ``notes`` column is free text the trainer must ignore.
"""

from __future__ import annotations

import csv
import math
import random
from datetime import date, timedelta
from pathlib import Path

OUT = Path(__file__).with_name("history_sample.csv")
COLUMNS = (
    "project_id",
    "end_date",
    "contract_type",
    "engagement_type",
    "estimate_confidence",
    "new_client",
    "team_size",
    "estimated_hours",
    "approved_change_hours",
    "actual_hours",
    "notes",
)


def rows(n: int = 160, seed: int = 11) -> list[dict[str, float | int | str]]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        contract = rng.choice(["fixed_fee", "fixed_fee", "time_and_materials", "retainer"])
        confidence = rng.choices(["low", "medium", "high"], weights=[3, 4, 3])[0]
        new_client = rng.random() < 0.3
        estimate = round(rng.uniform(200, 4000), -1)
        change = round(estimate * rng.choice([0, 0, 0.05, 0.1]), 0)
        bias = {"low": 0.2, "medium": 0.05, "high": -0.06}[confidence]
        bias += 0.08 * new_client + (0.05 if contract == "fixed_fee" else -0.03)
        actual = (estimate + change) * math.exp(bias + rng.gauss(0, 0.1))
        out.append(
            {
                "project_id": f"H{i + 1:04d}",
                "end_date": (date(2023, 1, 6) + timedelta(days=7 * i)).isoformat(),
                "contract_type": contract,
                "engagement_type": rng.choice(["advisory", "implementation", "implementation"]),
                "estimate_confidence": confidence,
                "new_client": "yes" if new_client else "no",
                "team_size": rng.randint(2, 12),
                "estimated_hours": estimate,
                "approved_change_hours": change,
                "actual_hours": round(actual, 1),
                "notes": f"Closed by PM {rng.randint(1, 90)}",
            }
        )
    return out


def main() -> None:
    with OUT.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows())
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
