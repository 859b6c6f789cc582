"""The fast compiled validator and jsonschema agree on what is a valid checklist."""

from __future__ import annotations

import copy

from hypothesis import given, settings
from hypothesis import strategies as st

from hazardrules import schemas

from .helpers import example_checklist

BASE = example_checklist()

values = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.text(max_size=5),
                   st.just("2026-02-30"), st.just([]), st.just({}), st.just("是"))


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, prefix + (i,))


PATHS = [p for p in _paths(BASE) if p]


@st.composite
def mutated(draw):
    data = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(PATHS))
        parent = data
        try:
            for part in path[:-1]:
                parent = parent[part]
            if draw(st.booleans()) and isinstance(parent, dict):
                parent.pop(path[-1], None)
            else:
                parent[path[-1]] = draw(values)
        except (KeyError, IndexError, TypeError):
            continue
    if draw(st.booleans()):
        data[draw(st.sampled_from(["extra", "findings", "answers"]))] = draw(values)
    return data


@settings(max_examples=300)
@given(mutated())
def test_fast_and_full_validators_agree(data):
    import fastjsonschema

    full = not list(schemas.validator("checklist").iter_errors(data))
    try:
        schemas.fast_validator("checklist")(data)
        fast = True
    except fastjsonschema.JsonSchemaException:
        fast = False
    assert fast == full


def test_the_example_is_valid_for_both():
    schemas.fast_validator("checklist")(BASE)
    assert not list(schemas.validator("checklist").iter_errors(BASE))
