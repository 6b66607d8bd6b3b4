"""`policyengine exercise new`: write the files of a new exercise from a small working example of its
kind (public folder and course key), and check an exercise as authored: the reference passes every
case, and the start file fails some hidden case (a hidden case it passes gives free marks)."""

from __future__ import annotations

from pathlib import Path

from ..core.corpus import Corpus
from ..core.errors import PolicyEngineError
from .catalogue import KEY_FILE, REFERENCE_FILE, exercise
from .report import check

_POLICY = """\
id: exercise-{n}
title: A policy to encode (replace with the instrument of your exercise)
kind: executive_policy
binds_us: false
announced: '2026-03-03'
in_force: {{from: '2026-03-03', to: null}}
replaces: []
supplements: []
sources:
  X1: {{title: 'The text the students encode (replace)', url: 'https://example.org/replace-me', date: '2026-03-03', evidence: secondary}}
definitions:
- id: X{n}-1.apl
  term: anti_personnel_mine
  when: {{mine: anti_personnel}}
  source: X1
  quote: anti-personnel landmines
scope: {{defined: anti_personnel_mine}}
rules:
- id: X{n}-1
  title: No production
  effect: prohibited
  when: {{activity: produce}}
  source: X1
  quote: will not produce anti-personnel landmines
"""

_POLICY_RULE = """\
- id: X{n}-2
  title: No use outside the Korean Peninsula
  effect: prohibited
  when: {{activity: use, location: elsewhere}}
  source: X1
  quote: will not use anti-personnel landmines outside the Korean Peninsula
"""

TEMPLATES: dict[str, dict[str, str]] = {
    "policy": {
        "public": """\
# Public cases: the scenario, the verdict and the deciding provisions expected (students see these).
exercise: '{n}'
kind: policy
title: Encode a policy from its quotes (replace)
cases:
- label: produce-01
  scenario: {{activity: produce, mine: anti_personnel}}
  verdict: prohibited
  deciding: [X{n}-1]
""",
        "start": "# Exercise {n}: add the rule X{n}-2 (see brief.md).\n" + _POLICY,
        "reference": "# Reference solution of exercise {n} (the teacher's; never given to students).\n"
                     + _POLICY + _POLICY_RULE,
        "key": """\
# Hidden cases of exercise {n}: same form as the public ones. Cover every value of every field your
# reference reads; keep only cases the start file gets wrong.
reference: reference.yaml
cases:
- label: use-01
  scenario: {{activity: use, mine: anti_personnel, location: elsewhere}}
  verdict: prohibited
  deciding: [X{n}-2]
""",
    },
    "scenarios": {
        "public": """\
# Public targets: kinds of difference the students' scenarios must show.
exercise: '{n}'
kind: scenarios
title: Tell two instruments apart (replace)
instruments: [obama-2014, biden-2022]
targets:
- label: difference-01
  a: {{verdict: not_addressed, deciding: []}}
  b: {{verdict: prohibited, deciding: [B22-1]}}
""",
        "start": "# Exercise {n}: list scenarios that the two instruments answer differently.\nscenarios:\n"
                 "- {{activity: use, mine: anti_personnel}}\n",
        "reference": "# Reference solution of exercise {n}.\nscenarios:\n"
                     "- {{activity: develop, mine: anti_personnel, date: '2023-01-01'}}\n"
                     "- {{activity: transfer, mine: anti_personnel, purpose: combat, location: korean_dmz, "
                     "date: '2023-01-01'}}\n",
        "key": """\
# Hidden targets of exercise {n}. An instrument the students must not have goes under
# instruments: {{ID: FILE.yaml}} (the file in this folder).
reference: reference.yaml
targets:
- label: difference-02
  a: {{verdict: not_addressed, deciding: []}}
  b: {{verdict: prohibited, deciding: [B22-2]}}
""",
    },
    "answers": {
        "public": """\
# Questions: a date and a scenario; the answer is computed by the engine when the check runs.
exercise: '{n}'
kind: answers
mode: dates
title: Decide cases on dates (replace)
public: [q01]
questions:
- id: q01
  date: '2023-01-01'
  scenario: {{activity: produce, mine: anti_personnel}}
  text: On 2023-01-01, what is the US position on this scenario?
- id: q02
  date: '2023-01-01'
  scenario: {{activity: use, mine: anti_personnel, persistence: non_persistent, location: elsewhere}}
  text: On 2023-01-01, what is the US position on this scenario?
""",
        "start": "# Exercise {n}: for each question, the US position, the deciding instrument and its provisions.\n"
                 "answers:\n  q01: {{verdict: '', policy: '', provisions: []}}\n"
                 "  q02: {{verdict: '', policy: '', provisions: []}}\n",
        "reference": "# Reference solution of exercise {n}.\nanswers:\n"
                     "  q01: {{verdict: prohibited, policy: biden-2022, provisions: [B22-1]}}\n"
                     "  q02: {{verdict: prohibited, policy: biden-2022, provisions: [B22-3]}}\n",
        "key": "# Exercise {n}: the questions whose answers the check does not show.\nreference: reference.yaml\n"
               "hidden: [q02]\n",
    },
}

BRIEF = """\
# {n} · (title)

What the student is to do, in words: the instrument's quotes (for a policy exercise, one that is not
bundled: a future or fictional policy, or a bundled one renamed with its provisions withheld), the
ids to use, and the commands that help. Check with `policyengine exercise check {n} FILE`.
"""

ANSWERS = """\
# Exercise {n}: answer key

For each hidden case or question: the answer, the provision that decides it, and why (the quote).
"""


def scaffold(number: str, kind: str, root: Path, key: Path) -> list[Path]:
    """Write the files of exercise `number` that do not exist yet; return those written."""
    n = number.zfill(2) if number.isdigit() else number
    t = TEMPLATES[kind]
    files = {root / n / "brief.md": BRIEF, root / n / "public.yaml": t["public"], root / n / "start.yaml": t["start"],
             key / n / KEY_FILE: t["key"], key / n / REFERENCE_FILE: t["reference"], key / n / "answers.md": ANSWERS}
    made = []
    for path, text in files.items():
        if path.exists():
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.format(n=n), encoding="utf-8")
        made.append(path)
    return made


def verify(number: str, root: Path, key: Path, corpus: Corpus) -> tuple[list[str], str]:
    """(problems, summary): on the corpus, the reference must pass every case and the start fail some
    hidden case."""
    ex = exercise(number, key=key, root=root)
    problems: list[str] = []
    try:
        ref = check(ex, ex.reference(), corpus, tier=2)
    except PolicyEngineError as exc:
        return [f"the reference cannot be graded: {exc}"], f"exercise {ex.number}: not ready"
    for case in ref.cases:
        if not case.passed:
            problems.append(f"the reference fails {'hidden' if case.hidden else 'public'} case {case.label}: "
                            + "; ".join(ref.feedback(case)[1:] or [case.failure]))
    hidden_total = ref.score(True)[1]
    if not hidden_total:
        problems.append(f"no hidden case: add some to {ex.key_folder / KEY_FILE}")
    try:
        start = check(ex, ex.start, corpus)
    except PolicyEngineError as exc:
        return problems + [f"the start file cannot be graded: {exc}"], f"exercise {ex.number}: not ready"
    free = [c.label for c in start.cases if c.hidden and c.passed]
    if hidden_total and len(free) == hidden_total:
        problems.append("the start file passes every hidden case: the hidden cases test nothing the student writes")
    summary = (f"exercise {ex.number}: the reference passes {sum(c.passed for c in ref.cases)}/{len(ref.cases)} "
               f"cases; the start file fails {hidden_total - len(free)}/{hidden_total} hidden cases")
    if free:
        summary += f" (it already passes {', '.join(free)}: free marks; consider dropping them)"
    return problems, summary
