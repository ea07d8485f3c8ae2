"""The approval queue: proposals, policies, decisions, audit, outbox."""
