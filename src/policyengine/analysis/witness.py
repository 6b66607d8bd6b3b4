"""Witnesses that read like real cases: a scenario inside a box of the scenario space whose values
come, field by field, from a named scenario, the vocabulary's `typical:` values, or a class's
representative, in that order of preference (see `realistic_witness`).

`diff` and `compare` show a witness per class of changed scenarios; a reader takes every value in it
as part of the change, so a value the class does not need is the one a real case would state (a
detectable mine, a self-destruct time within 30 days), never an arbitrary class representative.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

from ..core.space import Box, Space
from ..core.vocabulary import Value


def _in_box(space: Space, box: Box, field: str, value: Value) -> bool:
    chosen = box.get(field, space.full(field))
    return any(space.classes[field][c].contains(value) for c in chosen)


def _narrowed(space: Space, box: Box) -> set[str]:
    return {f for f in space.fields if len(box.get(f, space.full(f))) < len(space.classes[f])}


def _best_example(space: Space, box: Box, narrowed: set[str],
                  examples: Sequence[Mapping[str, Value]]) -> Mapping[str, Value]:
    """The example that states the most of the box's narrowed fields, every one inside the box."""
    best: Mapping[str, Value] = {}
    score = 0
    for example in examples:
        stated = [f for f in narrowed if f in example]
        if len(stated) > score and all(_in_box(space, box, f, example[f]) for f in stated):
            best, score = example, len(stated)
    return best


def _choices(space: Space, box: Box, field: str, narrowed: set[str],
             example: Mapping[str, Value]) -> list[Value]:
    """The values a witness may give `field`, most realistic first."""
    typical = space.vocab.fields[field].typical
    preferred = [example.get(field), typical] if field in narrowed else [typical, example.get(field)]
    chosen = sorted(box.get(field, space.full(field)))
    values = [v for v in preferred if v is not None and _in_box(space, box, field, v)]
    values += [space.classes[field][c].representative for c in chosen]
    return list(dict.fromkeys(values))


def realistic_witness(space: Space, box: Box, examples: Sequence[Mapping[str, Value]] = ()) -> dict[str, Value]:
    """A consistent scenario inside `box`. For a field the box narrows: the value of the example
    (a named scenario) that best fits the box, else the field's typical value, else a representative;
    for a field the box leaves open: the typical value, else the example's, else a representative.
    Where these state a contradiction of the vocabulary, the next choices of the fields involved;
    `Space.witness` when no choice will do."""
    narrowed = _narrowed(space, box)
    example = _best_example(space, box, narrowed, examples)
    options = {f: _choices(space, box, f, narrowed, example) for f in space.fields}
    scenario = {**space.fixed, **{f: values[0] for f, values in options.items()}}
    vocab = space.vocab
    if vocab.contradiction(scenario) is None:
        return scenario
    for rule in vocab.contradictions:  # a fact no value of it makes consistent (a persistent mine's
        field = rule.second.field      # self-destruct time) is left out where the class allows any
        if rule.second.value is None and rule.first.holds(scenario) and field not in narrowed:
            scenario.pop(field, None)
            options.pop(field, None)
    involved = [f for f in options if any(f in (c.first.field, c.second.field) for c in vocab.contradictions)]
    for combo in itertools.product(*(options[f] for f in involved)):
        trial = {**scenario, **dict(zip(involved, combo))}
        if vocab.contradiction(trial) is None:
            return trial
    return space.witness(box)


def realism(space: Space, witness: Mapping[str, Value]) -> int:
    """How many of the witness's values are their field's typical value (a tie-break between boxes)."""
    return sum(1 for f, v in witness.items() if f in space.vocab.fields and space.vocab.fields[f].typical == v)
