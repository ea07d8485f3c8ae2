"""``opscopilot tune`` and ``opscopilot simulate``: retrain from approvers' decisions.

Decisions are read from the approval queue (``records``), each model's challenger is built
by ``classifier``, ``staffing`` or ``risk`` from the learning code in ``models.tuning``,
registered and compared with the champion (``runner``), and a better one becomes a
``promote_model`` proposal. Accepting it runs ``promoter.ServicePromoter``, which moves the
``champion`` alias and swaps the model in the running service.
"""
