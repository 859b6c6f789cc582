"""Labels and small pieces shared by the output formats."""

from __future__ import annotations

from ..judge import Verdict

LEVEL_TEXT = {"major": "重大事故隐患", "general": "一般事故隐患", "undetermined": "无法判定"}
STATUS_TEXT = {"met": "成立", "not_met": "不成立", "undetermined": "待确定",
               "not_applicable": "不适用于本企业"}
REASON_TEXT = {
    "missing_facts": "缺少判定所需的事实",
    "needs_judgment": "需要检查人员或专家作出判断",
    "not_encoded": "适用的判定标准条文尚未收录，或无法确定当日施行的是哪一版",
    "unmapped": "未能对应任何判定条款",
}
CLAIM_TEXT = {"confirmed": "已确认", "not_confirmed": "未确认", "undetermined": "待确定",
              "not_in_force": "不在施行期间", "not_applicable": "不适用"}
UNVERIFIED = "条文待核实"
KIND_TEXT = {"企业自查": "企业自查", "部门帮扶": "部门帮扶", "执法检查": "执法检查", "专家查": "专家查"}


def level_label(v: Verdict) -> str:
    text = LEVEL_TEXT[v.level]
    if v.level == "major":  # the deciding standard's own term (重大火灾隐患, 重大隐患 …)
        terms = [r.criterion for r in v.met]
        if terms:
            text = v.standards_term(terms[0].standard) or text
        elif v.site is not None:
            text = v.site.standard.hazard_term
    if v.by_definition:
        text += "（依定义）"
    if v.unverified:
        text += f"（{UNVERIFIED}）"
    return text
