"""Who is acting: a signed-in person, or the policy engine itself."""

from __future__ import annotations

from dataclasses import dataclass, field

from domain.tables import User


@dataclass(frozen=True)
class Actor:
    email: str
    role: str
    practices: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    user_id: int | None = None
    name: str = ""
    extra: dict[str, str] = field(default_factory=dict, compare=False)

    @classmethod
    def of(cls, user: User) -> Actor:
        return cls(
            email=user.email,
            role=user.role,
            practices=tuple(user.practices or ()),
            regions=tuple(user.regions or ()),
            user_id=user.id,
            name=user.name,
        )

    @classmethod
    def policy(cls, rule_id: str) -> Actor:
        """The policy engine acting under ``rule_id`` (auto-accept, escalation, expiry)."""
        return cls(email=f"policy:{rule_id}", role="policy")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def covers(self, practice: str | None, region: str | None) -> bool:
        """Whether the actor's scope includes a proposal's practice and region (empty = all).

        A proposal with no practice (firm-level, e.g. a model promotion) is covered only by an
        unscoped actor.
        """
        return (not self.practices or practice in self.practices) and (
            not self.regions or region in self.regions
        )

    @property
    def firm_wide(self) -> bool:
        return not self.practices and not self.regions
