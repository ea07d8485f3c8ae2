"""Learning from approvers: training data built from decisions in the approval queue.

Everything here works on plain objects (``records.DecisionRecord``) handed in by the caller;
reading the queue, registering challengers and submitting promotions happen in ``app.tuning``.
"""
