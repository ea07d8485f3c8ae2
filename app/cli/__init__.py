"""The ``opscopilot`` command line."""
