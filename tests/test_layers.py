"""Lower floors never import higher ones (DESIGN.md, "Parts")."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OURS = {"app", "domain", "models", "governance", "prompts", "agents", "evals"}
ALLOWED = {
    "domain": set(),
    "prompts": set(),
    "models": {"domain"},
    "governance": {"domain"},
    "agents": {"domain", "models", "governance", "prompts"},
    "evals": {"models", "agents", "domain", "prompts", "governance"},
    "app": OURS,
}


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found & OURS


@pytest.mark.parametrize("floor", sorted(ALLOWED))
def test_floor_imports_only_what_is_below_it(floor: str) -> None:
    offences = []
    for path in sorted((ROOT / floor).rglob("*.py")):
        bad = imported_packages(path) - ALLOWED[floor] - {floor}
        if bad:
            offences.append(f"{path.relative_to(ROOT)} imports {sorted(bad)}")
    assert not offences, "\n".join(offences)


def test_the_check_catches_an_upward_import(tmp_path: Path) -> None:
    bad = tmp_path / "x.py"
    bad.write_text("from app.settings import Settings\nimport governance.tables\n")
    assert imported_packages(bad) == {"app", "governance"}
