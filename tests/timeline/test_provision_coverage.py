"""Every provision of the domain brief is encoded: as a rule or definition of its instrument, or under
`not_rules:` with the reason it is not a rule (the provision list is tests/fixtures/provisions.txt)."""

from __future__ import annotations

from pathlib import Path

import pytest

from policyengine.registry import policies

PROVISIONS = Path(__file__).resolve().parents[1] / "fixtures" / "provisions.txt"
PREFIXES = {"STAT-": "stat-export", "C96-": "clinton-1996", "P64-": "clinton-1998-pdd64", "B04-": "bush-2004",
            "O14-": "obama-2014", "T20-": "trump-2020", "B22-": "biden-2022", "T25-": "trump-2025",
            "OTT-": "ottawa", "APII-": "apii"}


def listed_provisions() -> list[str]:
    """The provision ids of tests/fixtures/provisions.txt, in order (comments and blank lines left out)."""
    lines = PROVISIONS.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def owner(identifier: str, provisions: list[str]) -> str | None:
    """The longest listed provision id that an encoded id is, or splits with a `.suffix`."""
    covering = [p for p in provisions if identifier == p or identifier.startswith(p + ".")]
    return max(covering, key=len, default=None)


class TestProvisionCoverage:
    """The listed provisions and the policy files match one to one."""

    def test_the_list_holds_every_instruments_provisions(self) -> None:
        """The list has the 83 provisions it was copied with, each once, each of a known instrument."""
        provisions = listed_provisions()
        assert len(provisions) >= 83 and len(set(provisions)) == len(provisions)
        assert {next(v for k, v in PREFIXES.items() if p.startswith(k)) for p in provisions} == set(
            PREFIXES.values())

    @pytest.mark.parametrize("provision", listed_provisions())
    def test_provision_is_encoded_in_its_instrument(self, provision: str) -> None:
        """The provision is a rule, a definition or a not-rule (with a reason) of its own instrument."""
        provisions = listed_provisions()
        instrument = next(v for k, v in PREFIXES.items() if provision.startswith(k))
        (policy,) = [p for p in policies() if p.id == instrument]
        encoded = [r.id for r in policy.rules] + [d.id for d in policy.definitions]
        reasons = {n.id: n.reason for n in policy.not_rules}
        assert any(owner(i, provisions) == provision for i in encoded) or reasons.get(provision), (
            f"{provision} is neither a rule nor a not_rules entry of {instrument}")
