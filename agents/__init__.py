"""The copilot: a LangGraph agent that answers and proposes, never applies (docs/agent.md)."""
