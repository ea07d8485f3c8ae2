"""What a person sees after seeding: the keys file and a short summary."""

from __future__ import annotations

import json
import os
from pathlib import Path

from app.demo.seed import DemoSummary

KEYS_FILE = "demo-keys.json"


def write_keys_file(path: Path, summary: DemoSummary) -> None:
    """The demo users' plaintext keys, readable by the owner only (the database keeps hashes)."""
    payload = {
        "seed": summary.seed,
        "as_of": summary.as_of.isoformat(),
        "note": "Plaintext API keys for the demo users. Only their hashes are in the database.",
        "users": [
            {
                "email": u.email,
                "name": u.name,
                "role": u.role,
                "title": u.title,
                "practices": list(u.practices),
                "key": u.key,
            }
            for u in summary.users
        ],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    # Owner-only from the moment the file exists: it holds live credentials.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(payload, fh, indent=2)
    os.chmod(path, 0o600)  # O_CREAT's mode does not apply to a file that already existed


def summary_lines(summary: DemoSummary, keys_file: Path) -> list[str]:
    width = max(len(t) for t in summary.counts)
    lines = [
        "",
        f"Demo firm seeded in {summary.seconds:.1f}s (seed {summary.seed}, as of {summary.as_of}).",
        *(f"  {table:<{width}}  {n:>7,}" for table, n in summary.counts.items()),
        f"  overrun share of {summary.closed_projects} closed projects: {summary.overrun_share:.0%}",
        "",
        f"Demo users (keys also in {keys_file}):",
    ]
    title_width = max(len(u.title) for u in summary.users)
    lines += [f"  {u.email:<32} {u.title:<{title_width}}  {u.key}" for u in summary.users]
    return lines
