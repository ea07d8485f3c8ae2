"""Chat threads and agent runs (filled in by the agent work)."""
