"""CSV files as Chinese Excel and WPS save them: UTF-8 (with or without BOM), UTF-16 ("Unicode
text") or GBK/GB18030; comma, tab, semicolon or bar as the delimiter."""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

from ..errors import InputError
from .grid import Sheet, clean
from .limits import MAX_COLUMNS, MAX_ROWS, read_bytes

DELIMITERS = ",\t;|"
SNIFF_CHARS = 16 * 1024  # csv.Sniffer is slow on large samples


def decode(raw: bytes, name: str) -> tuple[str, str]:
    """The text and the encoding it was read as."""
    if raw.startswith(codecs.BOM_UTF8):
        return _strict(raw[len(codecs.BOM_UTF8):], "utf-8", "UTF-8（带 BOM）", name)
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(raw, "utf-16", "UTF-16", name)
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError as utf8_error:
        try:
            return raw.decode("gb18030"), "GB18030/GBK"
        except UnicodeDecodeError:
            raise InputError(
                f"无法识别文件编码：不是 UTF-8（第 {utf8_error.start + 1} 字节处无法解码），"
                "也不是 GBK/GB18030；请在 Excel 中另存为“CSV UTF-8”", file=name) from None


def _strict(raw: bytes, codec: str, label: str, name: str) -> tuple[str, str]:
    try:
        return raw.decode(codec), label
    except UnicodeDecodeError as exc:
        raise InputError(f"文件声明为 {label}，但第 {exc.start + 1} 字节处无法解码", file=name) from None


def sniff(text: str) -> str:
    """The delimiter. csv.Sniffer guesses; the guess stands unless another candidate splits
    the sample into more labels the layout knows (企业名称, 检查项编号 …): one cell holding
    a quote and a bar can mislead the Sniffer, never the labels. Where the Sniffer cannot
    decide (a profile block of two columns above a wide table defeats its consistency test),
    the candidate found on most lines."""
    sample = text[:SNIFF_CHARS]
    try:
        guess = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        lines = [line for line in sample.splitlines() if line.strip()]
        guess = max(DELIMITERS, key=lambda d: (sum(1 for line in lines if d in line), sample.count(d)))
        guess = guess if guess in sample else ","
    scores = {d: _labels(sample, d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: scores[d])
    return best if scores[best] > scores[guess] else guess


def _labels(sample: str, delimiter: str) -> int:
    """How many cells of the sample are labels of the layout, split this way."""
    from .layout import entry_key, profile_key

    found = 0
    try:
        for record in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter):
            found += sum(1 for cell in record[:MAX_COLUMNS]
                         if profile_key(cell) is not None or entry_key(cell) not in (None, "info"))
    except csv.Error:
        pass
    return found


def read_csv(path: Path) -> Sheet:
    name = str(path)
    text, _encoding = decode(read_bytes(path), name)
    if not text.strip():
        raise InputError("文件为空", file=name)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff(text))
    rows: list[list] = []
    line = 1
    try:
        for record in reader:
            if line > MAX_ROWS:
                raise InputError(f"行数超过上限 {MAX_ROWS} 行", file=name, position=f"第 {line} 行")
            # keep row numbers equal to line numbers, also across quoted line breaks
            rows.extend([] for _ in range(line - 1 - len(rows)))
            if len(record) > MAX_COLUMNS:
                raise InputError(f"列数超过上限 {MAX_COLUMNS} 列", file=name, position=f"第 {line} 行")
            rows.append([clean(v) for v in record])
            line = reader.line_num + 1
    except csv.Error as exc:
        raise InputError(f"CSV 格式错误（{exc}）", file=name, position=f"第 {reader.line_num} 行") from None
    return Sheet(None, rows)
