"""Load prompt templates from Markdown files with YAML front matter.

A template file looks like::

    ---
    id: status_summary
    version: 3
    description: what the prompt is for
    ---
    # System
    ...instructions...
    # User
    ...text with $placeholders...

The hash is SHA-256 over the file's text (line endings normalised), so any edit to the
wording changes the hash even when someone forgets to bump the version; a run that records
(id, version, hash) names exactly the words that were sent.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from string import Template
from typing import Any

import yaml

TEMPLATES_DIR = Path(__file__).parent / "templates"
_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n(.*)\Z", re.DOTALL)
_SECTION = re.compile(r"^# (System|User)\s*$", re.MULTILINE)


class PromptError(ValueError):
    """A template file is malformed, or a render is missing a variable."""


@dataclass(frozen=True)
class Prompt:
    """One versioned template: a system text and a user text with ``$name`` placeholders."""

    id: str
    version: str
    description: str
    system: str
    user: str
    sha256: str

    @property
    def ref(self) -> dict[str, str]:
        """What runs and proposals record about this prompt."""
        return {"id": self.id, "version": self.version, "hash": self.sha256}

    def render(self, variables: Mapping[str, Any]) -> list[dict[str, str]]:
        """Chat messages for these variables; mappings and lists are embedded as JSON."""
        values = {
            k: v if isinstance(v, str) else json.dumps(v, indent=1, default=str, sort_keys=True)
            for k, v in variables.items()
        }
        try:
            user = Template(self.user).substitute(values)
        except KeyError as exc:
            raise PromptError(f"prompt {self.id} v{self.version} needs variable {exc}") from exc
        return [{"role": "system", "content": self.system}, {"role": "user", "content": user}]


def parse_prompt(text: str, *, source: str = "<string>") -> Prompt:
    """Parse one template file's text; raises PromptError naming what is wrong."""
    text = text.replace("\r\n", "\n")
    match = _FRONT_MATTER.match(text)
    if match is None:
        raise PromptError(f"{source}: missing '---' front matter")
    meta = yaml.safe_load(match.group(1)) or {}
    for key in ("id", "version"):
        if key not in meta:
            raise PromptError(f"{source}: front matter lacks {key!r}")
    parts = _SECTION.split(match.group(2))
    # split() yields ["preamble", "System", text, "User", text]
    sections = {parts[i]: parts[i + 1].strip() for i in range(1, len(parts) - 1, 2)}
    if set(sections) != {"System", "User"}:
        raise PromptError(f"{source}: needs exactly one '# System' and one '# User' section")
    return Prompt(
        id=str(meta["id"]),
        version=str(meta["version"]),
        description=str(meta.get("description", "")),
        system=sections["System"],
        user=sections["User"],
        sha256=hashlib.sha256(text.encode()).hexdigest(),
    )


class PromptBook:
    """The prompts a process uses, loaded once and looked up by id."""

    def __init__(self, prompts: Mapping[str, Prompt]) -> None:
        self._prompts = dict(prompts)

    def get(self, prompt_id: str) -> Prompt:
        """The prompt with this id; raises PromptError listing the known ids if absent."""
        try:
            return self._prompts[prompt_id]
        except KeyError:
            known = ", ".join(sorted(self._prompts))
            raise PromptError(f"no prompt {prompt_id!r}; known: {known}") from None

    def __iter__(self) -> Iterator[Prompt]:
        return iter(self._prompts.values())


def load_prompt_book(directory: Path = TEMPLATES_DIR) -> PromptBook:
    """Every ``*.md`` template under ``directory``; duplicate ids are an error."""
    prompts: dict[str, Prompt] = {}
    for path in sorted(directory.glob("*.md")):
        prompt = parse_prompt(path.read_text(encoding="utf-8"), source=path.name)
        if prompt.id in prompts:
            raise PromptError(f"{path.name}: duplicate prompt id {prompt.id!r}")
        prompts[prompt.id] = prompt
    return PromptBook(prompts)
