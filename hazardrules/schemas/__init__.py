"""JSON Schemas shipped with the package, and validation that reports positions."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from ..errors import InputError
from ..safeyaml import Positions, position

_BASE = "https://hazardrules.invalid/schemas/"


@cache
def _registry():
    from referencing import Registry, Resource

    registry = Registry()
    for entry in resources.files(__package__).iterdir():
        if entry.name.endswith(".schema.json"):
            contents = json.loads(entry.read_text(encoding="utf-8"))
            registry = registry.with_resource(_BASE + entry.name, Resource.from_contents(contents))
    return registry


@cache
def validator(name: str):
    from jsonschema import Draft202012Validator

    schema = _registry().get_or_retrieve(_BASE + f"{name}.schema.json").value.contents
    return Draft202012Validator(schema, registry=_registry())


@cache
def fast_validator(name: str):
    """A compiled validator (fastjsonschema) for the hot path: about ten times faster than
    jsonschema. It only answers valid / invalid; messages come from jsonschema. Used for the
    schemas that keep to draft-07 keywords (tests hold the two to the same answers)."""
    import fastjsonschema

    schema = dict(json.loads(schema_text(name)))
    schema.pop("$schema", None)
    return fastjsonschema.compile(
        schema, handlers={"https": lambda uri: _registry().get_or_retrieve(uri).value.contents})


FAST = ("checklist",)


def schema_text(name: str) -> str:
    return resources.files(__package__).joinpath(f"{name}.schema.json").read_text("utf-8")


def _best(errors: list) -> Any:
    from jsonschema.exceptions import best_match

    return best_match(errors)


def check(name: str, data: Any, file: str, positions: Positions | None = None) -> None:
    """Validate `data` against schema `name`; raise InputError naming the first problem."""
    if name in FAST:
        import fastjsonschema

        try:
            fast_validator(name)(data)
            return
        except fastjsonschema.JsonSchemaException:
            pass  # explain it with jsonschema below
    errors = list(validator(name).iter_errors(data))
    if not errors:
        return
    err = _best(errors)
    path = tuple(err.absolute_path)
    raise InputError(
        f"不符合格式要求：{_message(err)}", file=file, position=position(positions or {}, path)
    )


def _message(err) -> str:
    v = err.validator
    if v == "required":
        missing = [p for p in err.validator_value if p not in (err.instance or {})]
        return f"缺少必填字段 {', '.join(missing)}"
    if v == "additionalProperties":
        extra = sorted(set(err.instance) - set(err.schema.get("properties", {})))
        return f"未知字段 {', '.join(map(str, extra))}"
    if v == "type":
        return f"值 {err.instance!r} 的类型应为 {err.validator_value}"
    if v == "enum":
        return f"值 {err.instance!r} 不在允许的取值中：{'、'.join(map(str, err.validator_value))}"
    if v == "const":
        return f"值应为 {err.validator_value!r}，实为 {err.instance!r}"
    if v == "pattern":
        return f"值 {err.instance!r} 的写法不对（应匹配 {err.validator_value}）"
    if v in ("minItems", "minLength", "minProperties"):
        return f"值 {err.instance!r} 过短或为空"
    if v in ("maxLength", "maxItems"):
        return "值过长"
    if v == "oneOf":
        return "不是可识别的结构（请对照文档检查键名）"
    return err.message
