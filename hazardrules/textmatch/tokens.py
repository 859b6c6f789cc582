"""Reading a text into the weighted tokens the matcher counts: character n-grams of its
Chinese runs and whole Latin/number words, after mapping industry synonyms to one canonical
term.

No word segmenter: character bigrams and trigrams need no dictionary and survive a typo in
one character of a longer word. Two cheap pieces of linguistics keep them honest:
- a function character (未, 无, 的, 或 …) breaks n-grams, so "未配备" or "超过设计的" do not
  match across unrelated clauses — unless it is part of a known word (无证上岗, 有限空间);
- n-grams made mostly of generic words (安全, 管理, 设置 …) count at GENERIC weight: a gram
  is content only when more than half of its characters lie outside generic words (or
  inside a known word).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_LATIN = re.compile(r"[a-z0-9]+(?:\.[0-9]+)?")
NGRAM_SIZES = (2, 3)
STOP_CHARS = frozenset("未无没不的了和与及或等在对将把被于为即且也仍已均并其该此由从向所着是有")
GENERIC = 0.2


def normalise(text: str) -> str:
    """Full-width to half-width (NFKC), lower case, one space for any run of whitespace."""
    return " ".join(unicodedata.normalize("NFKC", text).lower().split())


@dataclass(frozen=True)
class Replacement:
    """A synonym the text used, and the canonical term it was read as."""

    original: str
    canonical: str


def _whole(text: str, start: int, end: int) -> bool:
    """A Latin variant ("co") matches only as a whole word, never inside "co2"."""
    if not text[start].isascii() or not text[start].isalnum():
        return True
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not (before.isascii() and before.isalnum()) and not (after.isascii() and after.isalnum())


class Canonicaliser:
    """Rewrites every listed variant to its group's canonical term, longest match first,
    scanning left to right so overlapping variants (速冻 inside 快速冻结) never double up."""

    def __init__(self, groups: list[list[str]]):
        self._to: dict[str, str] = {}
        for group in groups:
            canonical = normalise(group[0])
            for term in group:
                self._to.setdefault(normalise(term), canonical)
        self._longest = max((len(t) for t in self._to), default=0)

    def __call__(self, text: str) -> tuple[str, list[Replacement]]:
        out: list[str] = []
        used: list[Replacement] = []
        i = 0
        while i < len(text):
            for size in range(min(self._longest, len(text) - i), 0, -1):
                piece = text[i:i + size]
                canonical = self._to.get(piece)
                if canonical is not None and _whole(text, i, i + size):
                    out.append(canonical)
                    if canonical != piece:
                        used.append(Replacement(piece, canonical))
                    i += size
                    break
            else:
                out.append(text[i])
                i += 1
        return "".join(out), used


def _covered(text: str, words: frozenset[str]) -> list[bool]:
    marks = [False] * len(text)
    for word in words:
        start = text.find(word)
        while start != -1:
            for k in range(start, start + len(word)):
                marks[k] = True
            start = text.find(word, start + 1)
    return marks


@dataclass
class Reading:
    """A text as the matcher sees it: canonical form, weighted n-grams, synonyms used."""

    text: str
    grams: dict[str, float]
    replaced: list[Replacement] = field(default_factory=list)


class Reader:
    """Canonicalises a text and weighs its n-grams (content 1, generic GENERIC, broken by a
    function character 0)."""

    def __init__(self, groups: list[list[str]], known_words: list[str], generic_words: list[str]):
        self.canonical = Canonicaliser(groups)
        self.known = frozenset(w for w in (self.canonical(normalise(x))[0] for x in known_words) if len(w) > 1)
        self.generic = frozenset(w for w in (self.canonical(normalise(x))[0] for x in generic_words) if w)
        self.specific = self.known - self.generic  # known words that outweigh a generic word inside them

    def read(self, text: str, counts: bool = False) -> Reading:
        """With `counts`, a gram's weight is summed over its occurrences (a document's term
        frequency); otherwise the largest weight of any occurrence (a query's)."""
        canonical, replaced = self.canonical(normalise(text))
        known = _covered(canonical, self.known)
        specific = _covered(canonical, self.specific)
        generic = _covered(canonical, self.generic)
        out: dict[str, float] = {}

        def add(gram: str, weight: float) -> None:
            if weight <= 0:
                return
            out[gram] = out.get(gram, 0.0) + weight if counts else max(out.get(gram, 0.0), weight)

        for run in _CJK.finditer(canonical):
            start, word = run.start(), run.group()
            for n in (1,) if len(word) == 1 else NGRAM_SIZES:
                for i in range(len(word) - n + 1):
                    span = range(start + i, start + i + n)
                    if any(canonical[k] in STOP_CHARS and not known[k] for k in span):
                        continue
                    content = sum(1 for k in span if specific[k] or not generic[k])
                    add(word[i:i + n], 1.0 if 2 * content > n else GENERIC)
        for word in _LATIN.finditer(canonical):
            add(word.group(), 1.0)
        return Reading(canonical, out, replaced)


def matched_spans(text: str, present: set[str]) -> list[str]:
    """The maximal substrings of `text` covered by its n-grams found in `present`: the
    matching words shown to the user as the reason for a candidate."""
    covered = [False] * len(text)
    for run in _CJK.finditer(text):
        start, word = run.start(), run.group()
        for n in NGRAM_SIZES:
            for i in range(len(word) - n + 1):
                if word[i:i + n] in present:
                    for k in range(start + i, start + i + n):
                        covered[k] = True
    for word in _LATIN.finditer(text):
        if word.group() in present:
            for k in range(word.start(), word.end()):
                covered[k] = True
    spans: list[str] = []
    current = ""
    for ch, on in zip(text, covered, strict=True):
        if on:
            current += ch
        elif current:
            spans.append(current)
            current = ""
    if current:
        spans.append(current)
    return list(dict.fromkeys(spans))
