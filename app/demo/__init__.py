"""The demo firm: a seeded, deterministic consultancy to browse, demo and train models on.

``seed_demo`` fills an empty database; ``build_demo`` produces the same rows in memory.
See docs/demo-firm.md for what is in it and how project outcomes come about.
"""

from app.demo.build import DemoData, build_demo
from app.demo.seed import DemoSummary, existing_firm, seed_demo, seed_demo_cli

__all__ = ["DemoData", "DemoSummary", "build_demo", "existing_firm", "seed_demo", "seed_demo_cli"]
