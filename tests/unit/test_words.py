"""The library's words (core/words.py): each phrase defined once, and verdicts compared as enums."""

from __future__ import annotations

import re
from pathlib import Path

from policyengine.core.outcomes import Reason, Verdict
from policyengine.core.words import (
    decided_by,
    defeated,
    defeated_words,
    outcome_words,
    plain,
    provision_list,
    scenario_words,
    verdict_words,
)

SRC = Path(__file__).resolve().parents[2] / "src" / "policyengine"
NAMES = "|".join(v.value for v in (*Verdict, *Reason))


class TestPhrases:
    """Each phrase reads as the explanations, reports and grades print it."""

    def test_verdicts_and_reasons(self) -> None:
        """A reason is shown only when it tells more than the verdict."""
        assert plain(Verdict.NOT_ADDRESSED) == "not addressed"
        assert verdict_words(Verdict.NOT_ADDRESSED, Reason.OUT_OF_SCOPE) == "not addressed (out of scope)"
        assert verdict_words("not_addressed", "no_rule_applies") == "not addressed"

    def test_deciding_provisions(self) -> None:
        """A verdict with its deciding provisions; none named alone, or as `no provision` in a list."""
        assert outcome_words(Verdict.PROHIBITED, ("B22-3",)) == "prohibited by B22-3"
        assert outcome_words("permitted", ()) == "permitted"
        assert decided_by("permitted", ["A", "B"]) == "permitted by A, B"
        assert provision_list(()) == "no provision" and provision_list(["A", "B"]) == "A, B"

    def test_scenario_and_defeat(self) -> None:
        """A scenario as command-line words, and a provision defeated by its exception."""
        assert scenario_words({"activity": "use", "self_destruct_days": 30}) == "activity=use self_destruct_days=30"
        assert defeated_words("B22-3", ["B22-4"]) == "B22-3 applies but is defeated by its exception B22-4"
        assert defeated(["B22-4"], exception=False) == "defeated by B22-4"


class TestEnums:
    """No module compares a verdict or reason with a plain string."""

    def test_no_plain_string_comparison(self) -> None:
        """`verdict == "conditional"` and the like are written with Verdict and Reason members."""
        pattern = re.compile(rf"(verdict|reason)\s*(==|!=)\s*[\"']({NAMES})[\"']")
        found = [f"{path.relative_to(SRC)}:{n}" for path in SRC.rglob("*.py")
                 for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if pattern.search(line)]
        assert found == []
