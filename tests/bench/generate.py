"""Seeded synthetic checklists drawn from the encoded criteria and facts (for the benchmark).

Each finding answers the facts of one applicable criterion of 工贸 2023, with random values of
the right type (some violating, some compliant, some 不清楚), so the mix of major, general and
undetermined verdicts resembles real self-checks.
"""

from __future__ import annotations

import random
from typing import Any

INDUSTRIES = ["冶金", "有色", "建材", "机械", "轻工", "纺织", "烟草", "商贸"]
FEATURES = ["粉尘爆炸危险", "液氨制冷", "有限空间中毒风险"]


def _answer(fact, rng: random.Random) -> Any:
    roll = rng.random()
    if roll < 0.1:
        return "不清楚"
    if fact.type == "bool":
        return rng.choice(["是", "否"])
    if fact.type == "choice":
        return rng.choice(fact.choices)
    if fact.type == "number":
        return rng.randint(0, 40)
    return "2026-01-01"


def generate_checklist(catalog, n_findings: int, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    industry = rng.choice(INDUSTRIES)
    features = rng.sample(FEATURES, rng.randint(0, 2))
    std = catalog.standards["gongmao-2023"]
    pool = [c for c in std.finding_criteria if _applies(c, industry, features)]
    findings = []
    for i in range(n_findings):
        c = rng.choice(pool)
        facts = {}
        for fact_id in c.facts:
            fact = catalog.facts[fact_id]
            if fact.scope == "finding":
                facts[fact_id] = _answer(fact, rng)
        if rng.random() < 0.6:
            facts["needs_shutdown_to_fix"] = "否"
            facts["cannot_remove_alone"] = "否"
        findings.append({"id": f"F{i + 1}", "description": c.title, "facts": facts,
                         "rectification": {"status": rng.choice(["未整改", "整改中", "已整改"])}})
    return {
        "schema_version": 1,
        "enterprise": {"name": f"合成企业{seed}", "other_key": f"bench-{seed}", "sector": "工贸",
                       "industries": [industry], "features": features,
                       "answers": {"metal_smelting_enterprise": rng.choice(["是", "否"]),
                                   "managers_assessed": rng.choice(["是", "否"])}},
        "inspection": {"date": "2026-03-10", "kind": "企业自查", "inspector": "基准测试"},
        "findings": findings,
    }


def _applies(criterion, industry: str, features: list[str]) -> bool:
    from hazardrules import conditions as cond

    if criterion.applies_when is None:
        return True
    ctx = cond.Context({}, attrs={"enterprise.sector": ["工贸"], "enterprise.industries": [industry],
                                  "enterprise.features": features})
    return cond.evaluate(criterion.applies_when, ctx).value is not cond.Truth.FALSE
