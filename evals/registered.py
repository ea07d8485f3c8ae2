"""Registered models by alias, as every evaluator's ``--compare`` loads them."""

from __future__ import annotations

from typing import Any


def need_store(store: Any) -> Any:
    """``store``, or a ValueError when comparing registered models was asked without one."""
    if store is None:
        raise ValueError("comparing registered models needs the model store")
    return store


def load_registered(store: Any, name: str, alias: str, train: str) -> tuple[str, Any]:
    """``(version, model)`` behind ``name@alias``; a LookupError naming the command that
    registers one (``opscopilot train <train>``) when there is none."""
    found = store.load_alias(name, alias)
    if found is None:
        raise LookupError(f"no {name}@{alias}; register one with `opscopilot train {train}`")
    version, model = found
    return version, model
