"""How two instruments are ordered: by what each prohibits (the default) or by what each permits.

"Stricter" and "more permissive" compare instruments scenario by scenario. By default the question is
what each *prohibits*:

- `prohibited` counts as prohibiting;
- `conflict` counts as prohibiting too: a prohibition of the instrument reaches the scenario, even if
  a permission of the same instrument contests it (the cautious reading);
- `permitted`, `not_addressed` and `required` count as not prohibiting (a duty to act is no bar);
- `conditional` never arises over the scenario space, whose every class is decided; for a single
  partial scenario it is left undecided.

The older comparison, by the set of scenarios each instrument *permits* (`permitted` or `required`,
as Cedar's `analyze compare` does), stays available as the `permissions` basis. There `not_addressed`
counts as "not permitted", so silence looks stricter than a permission.
"""

from __future__ import annotations

from ..core.outcomes import ALLOWING, Named, Verdict

#: verdicts that count as the instrument prohibiting the scenario
PROHIBITING = frozenset({Verdict.PROHIBITED, Verdict.CONFLICT})


class Basis(Named):
    """What an ordering of instruments compares."""

    PROHIBITIONS = "prohibitions"
    PERMISSIONS = "permissions"


def counts(basis: Basis, verdict: str) -> bool | None:
    """True when the verdict is in the set the basis compares (prohibited ones, or permitted ones);
    None for `conditional`, which no ordering decides."""
    if verdict == Verdict.CONDITIONAL:
        return None
    return verdict in (PROHIBITING if basis is Basis.PROHIBITIONS else ALLOWING)


def noun(basis: Basis) -> str:
    """`prohibited` or `permitted`: what the basis counts, as a participle."""
    return "prohibited" if basis is Basis.PROHIBITIONS else "permitted"


def allows(basis: Basis, verdict: str) -> bool | None:
    """True when the verdict leaves the scenario open to the actor on this basis: not prohibited (by
    prohibitions) or permitted (by permissions); None for `conditional`."""
    found = counts(basis, verdict)
    return None if found is None else (not found if basis is Basis.PROHIBITIONS else found)
