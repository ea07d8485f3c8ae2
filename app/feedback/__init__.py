"""Approver decisions as feedback in MLflow: the sink, the delivery worker, the override
metrics report and links into the MLflow UI. Governance writes the rows; this side sends them
and reads them back."""
