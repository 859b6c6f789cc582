"""The table layout of a checklist (README, 表格检查表): the labels a reader recognises and the
template writer uses. The first label of each entry is the one hazardrules writes.

A checklist table is a profile block (label | value rows: 企业名称 | …) above an entry table
whose header names its columns. One entry row answers one question: for a finding (with a
检查发现编号; its other columns may repeat or stay blank on its further rows) or, without
one, for the whole question list (整张问题清单), the enterprise (for enterprise questions) or
a site (with a 场所编号).
"""

from __future__ import annotations

from .grid import label_key, without_note

TEMPLATE_FORMAT = 1  # version of this layout, stamped in templates as 模板格式版本

# entry table columns: key → labels
ENTRY_COLUMNS: dict[str, tuple[str, ...]] = {
    "finding": ("检查发现编号", "编号", "隐患编号", "发现编号"),
    "site": ("场所编号",),
    "location": ("部位", "检查部位", "隐患部位", "地点", "位置"),
    "description": ("隐患描述", "描述", "问题描述", "隐患内容", "存在问题"),
    "observed_on": ("观察日期", "发现日期", "排查日期"),
    "fact": ("检查项编号", "事实编号"),
    "question": ("问题", "检查内容", "检查项目", "检查项"),
    "answer": ("回答", "检查结果", "答案", "结果"),
    "claimed": ("认为适用的条款编号", "认为适用的条款", "条款编号"),
    "status": ("整改状态", "状态"),
    "deadline": ("整改期限", "期限"),
    "measures": ("整改措施", "措施"),
    "fixed_on_spot": ("当场整改",),
    "reported_authority": ("报告监管部门日期", "向监管部门报告日期"),
    "reported_workers": ("向职工报告日期", "报告职工日期", "向职工大会或职工代表大会报告日期"),
    "evidence": ("证据文件或网址", "证据", "证据文件", "照片"),
    "sha256": ("证据SHA256", "SHA256", "哈希值"),
    "evidence_note": ("证据说明",),
}
# columns shown for people and ignored when reading
INFO_COLUMNS = ("序号", "范围", "单位", "填写方式", "依据条款", "说明", "备注", "判定依据")
# what only a finding has: an entry row with one of these needs a 检查发现编号
FINDING_ONLY = ("location", "description", "observed_on", "claimed", "status", "deadline", "measures",
                "fixed_on_spot", "reported_authority", "reported_workers", "evidence", "sha256",
                "evidence_note")

SITE_COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("场所编号",),
    "name": ("场所名称",),
    "place_types": ("场所类别", "场所类型"),
}

# profile block: label → key (enterprise.*, inspection.*, stamps, a site row)
PROFILE: dict[str, tuple[str, ...]] = {
    "name": ("企业名称", "单位名称"),
    "uscc": ("统一社会信用代码", "社会信用代码"),
    "other_key": ("其他标识",),
    "sector": ("行业领域",),
    "industries": ("行业",),
    "features": ("风险特征", "涉及的风险特征"),
    "inspection.date": ("检查日期",),
    "inspection.kind": ("检查类型", "检查方式"),
    "inspection.inspector": ("检查人", "检查人员"),
    "inspection.note": ("检查说明",),
    "site": ("场所",),
    "stamp.format": ("模板格式版本",),
    "stamp.data_hash": ("判定数据版本",),
    "stamp.data_as_of": ("判定数据截至",),
}

SHEET_PROFILE = "企业概况"
SHEET_QUESTIONS = "检查项"
SHEET_FINDINGS = "检查发现"
SHEET_SITES = "场所"
SHEET_README = "说明"

ENTRY_HEADER = ("检查发现编号", "场所编号", "部位", "隐患描述", "观察日期", "检查项编号", "回答",
                "认为适用的条款编号", "整改状态", "整改期限", "整改措施", "当场整改", "报告监管部门日期",
                "向职工报告日期", "证据文件或网址", "证据SHA256", "证据说明", "备注")


def _index(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, labels in table.items():
        for label in labels:
            out.setdefault(label_key(label) or "", key)
    return out


_ENTRY = _index(ENTRY_COLUMNS)
_SITE = _index(SITE_COLUMNS)
_PROFILE = _index(PROFILE)
_INFO = {label_key(x) for x in INFO_COLUMNS}


def _lookup(index: dict[str, str], value) -> str | None:
    key = label_key(value)
    if key is None:
        return None
    if key in index:
        return index[key]
    bare = without_note(key)
    return index.get(bare)


def entry_key(value) -> str | None:
    """An entry column's key, "info" for a column shown for people, None if unknown."""
    found = _lookup(_ENTRY, value)
    if found is not None:
        return found
    key = label_key(value)
    if key is not None and (key in _INFO or without_note(key) in _INFO):
        return "info"
    return None


def site_key(value) -> str | None:
    return _lookup(_SITE, value)


def profile_key(value) -> str | None:
    return _lookup(_PROFILE, value)
