"""Free-text findings: which criteria a description points to, the questions that would
decide them, and honesty when it points nowhere (see docs/textmatch.md).

    from hazardrules.textmatch import suggest
    s = suggest(catalog, "除尘器泄爆片缺失", in_force_standards)
    s.unmapped, s.candidates, s.questions, s.governing
"""

from __future__ import annotations

from .matcher import Candidate, Matcher
from .registry import Governing, RegistryEntry, governing, load_registry
from .suggestions import (
    UNMAPPED_BELOW,
    UNMAPPED_TEXT,
    Suggestion,
    candidates,
    open_questions,
    registry_of,
    suggest,
    unmapped_count,
    vocabulary_of,
)
from .vocabulary import Vocabulary, load_vocabulary

__all__ = [
    "UNMAPPED_BELOW",
    "UNMAPPED_TEXT",
    "Candidate",
    "Governing",
    "Matcher",
    "RegistryEntry",
    "Suggestion",
    "Vocabulary",
    "candidates",
    "governing",
    "load_registry",
    "load_vocabulary",
    "open_questions",
    "registry_of",
    "suggest",
    "unmapped_count",
    "vocabulary_of",
]
