"""The rule engine's limits, checked when a policy is loaded, before any decision.

durable_rules 2.0.28 builds an alpha network: one node per distinct (field, operator, value) under
the node of the test before it, shared between rules with the same leading tests; an `$or` adds a
forward node that each branch links to. Its tables are fixed-size C arrays (rules.h, rete.h,
events.c), and some overflows are not errors: a full child table makes lookups loop forever, a full
rule list crashes. So the network each policy will get is built here first, in Python, from the
exact ruleset the matcher will compile, and checked against these sizes
(tests/engine/test_limits.py probes each one in the engine itself).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .engine import PROBE, PROBE_RULE, SCOPE_NAME, compile_ruleset, engine_conditions
from .errors import EngineError
from .vocabulary import Vocabulary

MAX_CHILDREN = 511  # NEXT_BUCKET_LENGTH 512: the 512th child fills the table, and lookups then spin
MAX_FORWARDS = 127  # NEXT_LIST_LENGTH 128: error 107
MAX_RULES_PER_NODE = 255  # BETA_LIST_LENGTH 256: error 108
MAX_CONNECTIVES = 15  # MAX_SEQUENCE_EXPRESSIONS 32, two entries per $and/$or: error 113
MAX_STACK = 64  # MAX_STACK_SIZE in handleAlpha: error 303 while matching
_OPS = {"$neq": "!=", "$lt": "<", "$lte": "<=", "$gt": ">", "$gte": ">="}


class _Node:
    __slots__ = ("children", "eq_fields", "forwards", "label", "rules")

    def __init__(self, label: str) -> None:
        self.label = label
        self.children: dict[tuple[str, str, Any], _Node] = {}
        self.forwards: list[_Node] = []
        self.rules = 0
        self.eq_fields: dict[str, int] = {}


class LimitError(Exception):
    """A rule that takes the network past one of the engine's limits (name, what, limit)."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name
        self.message = message


class _Network:
    """The alpha network durable_rules builds for a ruleset, with the sizes its C tables hold."""

    def __init__(self) -> None:
        self.root = _Node("the start of every rule")

    def add(self, name: str, rule: dict) -> None:
        connectives = [0]
        end = self._alpha(name, rule["all"][0]["m"], self.root, connectives)
        if connectives[0] > MAX_CONNECTIVES:
            raise LimitError(name, f"its condition has {connectives[0]} and/or groups once compiled, more than "
                                   f"the engine's {MAX_CONNECTIVES} per rule")
        end.rules += 1
        if end.rules > MAX_RULES_PER_NODE:
            raise LimitError(name, f"more than {MAX_RULES_PER_NODE} rules end on the same tests "
                                   f"({end.label}), the engine's limit")

    def _alpha(self, name: str, cond: dict, parent: _Node, connectives: list[int]) -> _Node:
        (key, value), = cond.items()
        if key == "$and":
            connectives[0] += 1
            for part in value:
                parent = self._alpha(name, part, parent, connectives)
            return parent
        if key == "$or":
            connectives[0] += 1
            forward = _Node(f"one of several tests after {parent.label}")
            for part in value:
                branch = self._alpha(name, part, parent, connectives)
                branch.forwards.append(forward)
                if len(branch.forwards) > MAX_FORWARDS:
                    raise LimitError(name, f"more than {MAX_FORWARDS} alternatives (any:/lists) hang off the "
                                           f"test {branch.label}, the engine's limit")
            return forward
        if key in _OPS:
            (field, operand), = value.items()
            child_key, label = (field, key, operand), f"{field} {_OPS[key]} {operand}"
        else:
            field, operand = key, value
            child_key, label = (field, "=", operand), f"{field} = {operand}"
        child = parent.children.get(child_key)
        if child is None:
            if len(parent.children) >= MAX_CHILDREN:
                raise LimitError(name, f"more than {MAX_CHILDREN} different values or rules follow {parent.label} "
                                       "(values listed for one field, or rules sharing their leading tests), "
                                       "the engine's limit")
            child = parent.children[child_key] = _Node(label)
            if child_key[1] == "=":
                parent.eq_fields[field] = parent.eq_fields.get(field, 0) + 1
        return child

    def stack_peak(self) -> int:
        """An upper bound of the engine's matching stack for any one fact (depth-first, all matches)."""
        peak: dict[int, int] = {}
        todo: list[tuple[_Node, bool]] = [(self.root, False)]
        while todo:
            node, done = todo.pop()
            if id(node) in peak:
                continue
            nexts = [*node.children.values(), *node.forwards]
            if not done:
                todo.append((node, True))
                todo.extend((n, False) for n in nexts if id(n) not in peak)
                continue
            # at most one equality child per field matches a fact; every other child may. The probe's
            # test matches only the probe fact, which matches nothing else.
            probe = 1 if (PROBE, "=", 1) in node.children else 0
            pushed = (len(node.forwards) + len(node.children) - probe
                      - sum(c - 1 for f, c in node.eq_fields.items() if f != PROBE))
            below = max((peak[id(n)] for n in nexts), default=0)
            peak[id(node)] = pushed - 1 + max(1, below) if pushed else 0
        return peak[id(self.root)]


def limit_problem(ruleset: Mapping[str, dict]) -> LimitError | None:
    """The first rule of the compiled ruleset that takes it past an engine limit, or None."""
    network = _Network()
    names = list(ruleset)
    try:
        for name in names:
            network.add(name, ruleset[name])
    except LimitError as exc:
        return exc
    if network.stack_peak() <= MAX_STACK:
        return None
    low, high = 0, len(names)  # the shortest prefix over the limit ends with the rule to blame
    while high - low > 1:
        middle = (low + high) // 2
        prefix = _Network()
        for name in names[:middle]:
            prefix.add(name, ruleset[name])
        low, high = (low, middle) if prefix.stack_peak() > MAX_STACK else (middle, high)
    return LimitError(names[high - 1], f"with this rule one scenario may need more than {MAX_STACK} entries "
                                       "of the engine's matching stack (alternatives of rules that share "
                                       "tests, any: and lists, matched at once), its limit")


def check_limits(policy: Any, vocab: Vocabulary) -> None:
    """Raise EngineError naming file:line, the rule and the limit if the engine cannot run the policy."""
    conditions = engine_conditions(policy)
    try:
        ruleset = compile_ruleset(conditions, vocab)
    except EngineError as exc:
        raise EngineError(exc.message, where=policy.path, hint=exc.hint) from None
    ruleset[PROBE] = PROBE_RULE  # as the matcher compiles it
    problem = limit_problem(ruleset)
    if problem is None:
        return
    if problem.name == SCOPE_NAME:
        where, what = policy.path, "the scope"
    elif problem.name.startswith("r") and problem.name[1:].isdigit():
        rule = policy.rules[int(problem.name[1:])]
        where, what = f"{policy.path}:{rule.line}" if rule.line else policy.path, f"rule '{rule.id}'"
    else:  # the engine's own probe rule, the last straw
        where, what = policy.path, "the policy"
    raise EngineError(f"{what} is beyond the rule engine's limits: {problem.message}", where=where,
                      hint="split the rule, list fewer values (integer runs are fine: write a range "
                           "with gte/lte), or move shared tests into fewer rules")
