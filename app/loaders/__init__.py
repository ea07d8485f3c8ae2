"""One loader module per heavy collaborator.

Each module defines ``load(runtime, services)`` (called once in the app's lifespan; it puts
what it loaded into ``services``) and may define ``ensure_trained(settings)`` (called by
``opscopilot bootstrap`` so a fresh machine has a champion of every model).
"""

LOADERS = (
    "encoder",
    "classifier",
    "staffing",
    "risk",
    "governance",
    "feedback",
    "copilot",
    "promotion",
)
