"""Versioned prompt templates. Every LLM call records the prompt's id, version and hash."""

from prompts.loader import Prompt, PromptBook, PromptError, load_prompt_book

__all__ = ["Prompt", "PromptBook", "PromptError", "load_prompt_book"]
