"""Persistence for the domain tables. Repositories flush; the caller's unit of work commits."""
