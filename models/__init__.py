"""The ML the copilot proposes from: encoder, request classifier, staffing recommender, risk model."""
