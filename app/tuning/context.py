"""What a tuning run works with: settings, the database, the model store, its knobs."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from app.settings import Settings
from app.tuning.candidate import Skipped
from governance.service import Governance
from models.encoder import Encoder
from models.registry import CHALLENGER, ModelStore, data_hash
from models.tuning.records import DecisionRecord

Say = Callable[[str], None]
# Run tag of a registered challenger: the fingerprint of what it was built from.
LEARNED_FROM = "learned_from"


@dataclass
class TuneContext:
    """One tuning run. Defaults are what ``opscopilot tune`` uses."""

    settings: Settings
    sessions: sessionmaker[Session]
    store: ModelStore
    # Share of the latest decisions never trained on: champion and challenger meet there.
    recent_share: float = 0.2
    # How much better on those decisions a challenger must be to be proposed.
    min_gain: float = 0.02
    # Fewest recent decisions a comparison may rest on.
    min_recent: int = 10
    # Share of the projects that closed after the risk champion was trained kept for comparing.
    outcome_holdout_share: float = 0.3
    # The classifier's quick recipe (fixed C, 3 folds), as ``train classifier --fast``.
    fast: bool = False
    # Submit a promote_model proposal for a better challenger (off: report only).
    submit: bool = True
    submitted_by: str = "opscopilot-tune"
    requested_by: str | None = None
    governance: Governance | None = None
    say: Say = print
    encoder_factory: Callable[[], Encoder] | None = None
    _encoder: Encoder | None = field(default=None, init=False, repr=False)
    _cache: dict[str, Any] = field(default_factory=dict, init=False, repr=False)

    @property
    def encoder(self) -> Encoder:
        """The sentence encoder, loaded on first use (risk-only runs never pay for it)."""
        if self._encoder is None:
            if self.encoder_factory is not None:
                self._encoder = self.encoder_factory()
            else:
                from models.encoder import MiniLMEncoder

                self._encoder = MiniLMEncoder()
        return self._encoder

    @property
    def reports_dir(self) -> Path:
        return self.settings.data_dir.resolve() / "reports" / "tuning"

    def queue(self) -> Governance:
        if self.governance is None:
            self.governance = Governance.load()
        return self.governance

    def load_version(self, name: str, version: str) -> Any:
        """A registered model, loaded once per run."""
        key = f"{name}/{version}"
        if key not in self._cache:
            self._cache[key] = self.store.load_version(name, version)
        return self._cache[key]

    def fingerprint(
        self, champion_version: str, decisions: Sequence[DecisionRecord], data: Iterable[str]
    ) -> str:
        """What a challenger is built from: the champion, this run's knobs, every decision of
        its kind (older and recent: both shape the comparison) and its training data."""
        knobs = (
            f"champion={champion_version}",
            f"recent_share={self.recent_share}",
            f"outcome_holdout_share={self.outcome_holdout_share}",
            f"fast={self.fast}",
        )
        decided = (f"{r.proposal_id}:{r.action}" for r in decisions)
        return data_hash([*knobs, *decided, "--data--", *data])

    def nothing_new(self, name: str, learned_from: str) -> Skipped | None:
        """A skip when the current challenger was built from exactly ``learned_from``.

        Training it again would register the same model under a new version, and a better one
        would be proposed a second time.
        """
        client = self.store.client
        try:
            current = client.get_model_version_by_alias(name, CHALLENGER)
        except Exception:  # MLflow raises a generic exception for a missing alias or model
            return None
        if client.get_run(current.run_id).data.tags.get(LEARNED_FROM) != learned_from:
            return None
        return Skipped(
            name,
            f"nothing new since challenger v{current.version}: same champion, decisions and data",
        )
