"""Approval-queue tables (filled in by the governance work)."""
