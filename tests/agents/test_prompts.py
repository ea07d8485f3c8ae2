"""Prompts are versioned files; what was sent is named by id, version and content hash."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from prompts import PromptError, load_prompt_book
from prompts.loader import TEMPLATES_DIR, parse_prompt

TEMPLATE = """---
id: demo
version: 2
description: a test prompt
---
# System
Be brief.
# User
Question: $question
Facts: $facts
"""


def test_every_shipped_prompt_loads_with_its_hash() -> None:
    book = load_prompt_book()
    ids = {p.id for p in book}
    assert {"status_summary", "project_answer"} <= ids
    for prompt in book:
        text = (TEMPLATES_DIR / f"{prompt.id}.md").read_text().replace("\r\n", "\n")
        assert prompt.sha256 == hashlib.sha256(text.encode()).hexdigest()
        assert prompt.ref == {"id": prompt.id, "version": prompt.version, "hash": prompt.sha256}


def test_rendering_fills_variables_and_embeds_data_as_json() -> None:
    prompt = parse_prompt(TEMPLATE)
    messages = prompt.render({"question": "how?", "facts": [{"id": "pj:1", "n": 5}]})

    assert messages[0] == {"role": "system", "content": "Be brief."}
    assert messages[1]["content"].startswith("Question: how?\nFacts: [")
    assert '"id": "pj:1"' in messages[1]["content"]


def test_any_edit_changes_the_hash_even_without_a_version_bump() -> None:
    a = parse_prompt(TEMPLATE)
    b = parse_prompt(TEMPLATE.replace("Be brief.", "Be very brief."))
    assert a.version == b.version and a.sha256 != b.sha256


def test_a_missing_variable_is_an_error_not_a_silent_blank() -> None:
    with pytest.raises(PromptError, match=r"prompt demo v2 needs variable 'facts'"):
        parse_prompt(TEMPLATE).render({"question": "q"})


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("# System\nx\n# User\ny\n", "missing '---' front matter"),
        ("---\nid: x\n---\n# System\nx\n# User\ny\n", "lacks 'version'"),
        ("---\nid: x\nversion: 1\n---\n# System\nx\n", "exactly one '# System'"),
    ],
)
def test_malformed_templates_say_what_is_wrong(text: str, problem: str) -> None:
    with pytest.raises(PromptError, match=problem):
        parse_prompt(text, source="bad.md")


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(TEMPLATE)
    (tmp_path / "b.md").write_text(TEMPLATE)
    with pytest.raises(PromptError, match="duplicate prompt id 'demo'"):
        load_prompt_book(tmp_path)
    with pytest.raises(PromptError, match="known: "):
        load_prompt_book(TEMPLATES_DIR).get("nope")
