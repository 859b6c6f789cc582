"""Turning what a user wrote (是 / 否 / 不清楚 / 不适用 or a value) into a typed answer.

The rules engine does no coercion ("10" does not match > 9), so every answer is typed
here, once, against its fact's declared type; anything that does not convert is refused.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .conditions import NOT_APPLICABLE, UNKNOWN
from .model import Fact

YES = {"是", "有", "yes", "y", "true", "t", "1"}
NO = {"否", "无", "没有", "no", "n", "false", "f", "0"}
UNKNOWN_WORDS = {"不清楚", "不知道", "未知", "待查", "unknown", "?", "？", ""}
NA_WORDS = {"不适用", "不涉及", "n/a", "na", "not applicable"}

ANSWER_HINT = "请填 是 / 否 / 不清楚 / 不适用"


class AnswerError(ValueError):
    pass


def _special(value: Any) -> Any:
    if value is None:
        return UNKNOWN
    if isinstance(value, str):
        word = value.strip().lower()
        if word in UNKNOWN_WORDS:
            return UNKNOWN
        if word in NA_WORDS:
            return NOT_APPLICABLE
    return None


def coerce(fact: Fact, value: Any) -> Any:
    """A typed answer, UNKNOWN or NOT_APPLICABLE; AnswerError with a Chinese reason."""
    special = _special(value)
    if special is not None:
        return special
    if fact.type == "bool":
        if isinstance(value, bool):
            return value
        word = str(value).strip().lower()
        if word in YES:
            return True
        if word in NO:
            return False
        raise AnswerError(f"“{value}”不是有效回答，{ANSWER_HINT}")
    if fact.type == "number":
        return _number(fact, value)
    if fact.type == "choice":
        text = str(value).strip()
        if text not in fact.choices:
            raise AnswerError(f"“{value}”不在可选项中：{'、'.join(fact.choices)}（或 不清楚 / 不适用）")
        return text
    if fact.type == "date":
        try:
            return dt.date.fromisoformat(str(value).strip())
        except ValueError:
            raise AnswerError(f"“{value}”不是日期，请写成 YYYY-MM-DD") from None
    raise AnswerError(f"未知的事实类型 {fact.type}")


_NUMBER = re.compile(r"^\s*([-+]?\d+(?:\.\d+)?)\s*(\S*)\s*$")


def _number(fact: Fact, value: Any) -> float | int:
    if isinstance(value, bool):
        raise AnswerError(f"“{value}”不是数值，应填写数字（单位：{fact.unit or '无'}）")
    if isinstance(value, (int, float)):
        return value
    match = _NUMBER.match(str(value))
    if not match:
        raise AnswerError(f"“{value}”不是数值，应填写数字（单位：{fact.unit or '无'}）")
    number, unit = match.groups()
    if unit and unit != fact.unit:
        raise AnswerError(f"单位“{unit}”与规定单位“{fact.unit}”不符")
    return float(number) if "." in number else int(number)


def typed_value(fact: Fact, value: Any) -> Any:
    """A value written in criteria data (a threshold, a choice), typed like an answer."""
    if fact.type == "date" and isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value


def display(value: Any) -> str:
    """An answer as a user reads it."""
    if value is UNKNOWN:
        return "未回答/不清楚"
    if value is NOT_APPLICABLE:
        return "不适用"
    if value is True:
        return "是"
    if value is False:
        return "否"
    if isinstance(value, (list, tuple)):
        return "、".join(map(str, value)) or "（无）"
    return str(value)


def file_value(value: Any) -> Any:
    """A typed answer as it is written in a checklist file (re-reads to the same value)."""
    if value is UNKNOWN:
        return "不清楚"
    if value is NOT_APPLICABLE:
        return "不适用"
    if value is True:
        return "是"
    if value is False:
        return "否"
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
