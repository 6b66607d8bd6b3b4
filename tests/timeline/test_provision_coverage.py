"""Every provision of brief §2 is encoded: as a rule or definition of its instrument, or under
`not_rules:` with the reason it is not a rule."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from policyengine.registry import data_dir, policies

BRIEF = data_dir().resolve().parent / "shared" / "domain" / "apl-policy-brief.md"
PREFIXES = {"STAT-": "stat-export", "C96-": "clinton-1996", "P64-": "clinton-1998-pdd64", "B04-": "bush-2004",
            "O14-": "obama-2014", "T20-": "trump-2020", "B22-": "biden-2022", "T25-": "trump-2025",
            "OTT-": "ottawa", "APII-": "apii"}


def brief_provisions() -> list[str]:
    """The provision ids of brief §2, in order."""
    text = Path(BRIEF).read_text(encoding="utf-8")
    section = text[text.index("## 2. Provisions"):text.index("## 3. Silences")]
    return re.findall(r"^- \*\*([A-Z][A-Za-z0-9.\-]+)\*\*", section, flags=re.MULTILINE)


def owner(identifier: str, provisions: list[str]) -> str | None:
    """The longest brief provision id that an encoded id is, or splits with a `.suffix`."""
    covering = [p for p in provisions if identifier == p or identifier.startswith(p + ".")]
    return max(covering, key=len, default=None)


needs_brief = pytest.mark.skipif(not BRIEF.exists(), reason=f"the brief is not at {BRIEF}")


@needs_brief
class TestProvisionCoverage:
    """The brief's provisions and the policy files match one to one."""

    def test_the_brief_lists_its_provisions(self) -> None:
        """The brief's section 2 yields the provision ids this test checks (83 when written)."""
        assert len(brief_provisions()) >= 80

    @pytest.mark.parametrize("provision", brief_provisions() if BRIEF.exists() else [])
    def test_provision_is_encoded_in_its_instrument(self, provision: str) -> None:
        """The provision is a rule, a definition or a not-rule (with a reason) of its own instrument."""
        provisions = brief_provisions()
        instrument = next(v for k, v in PREFIXES.items() if provision.startswith(k))
        (policy,) = [p for p in policies() if p.id == instrument]
        encoded = [r.id for r in policy.rules] + [d.id for d in policy.definitions]
        reasons = {n.id: n.reason for n in policy.not_rules}
        assert any(owner(i, provisions) == provision for i in encoded) or reasons.get(provision), (
            f"{provision} is neither a rule nor a not_rules entry of {instrument}")
