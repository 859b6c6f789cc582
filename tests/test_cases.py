"""Every case in cases/ is a test; every criterion has a firing case and a near miss that
changes one fact of its own condition."""

from __future__ import annotations

from collections import defaultdict

import pytest

from hazardrules.cases import case_files, load_case, run_case

from .conftest import CASES, ROOT

CASE_PATHS = case_files(CASES)


@pytest.mark.parametrize("path", CASE_PATHS, ids=[str(p.relative_to(CASES)) for p in CASE_PATHS])
def test_case(path, catalog):
    case = load_case(path, catalog)
    pending = case.raw["case"].get("pending")
    if pending:
        pytest.skip(f"待定：{pending}")
    _, problems = run_case(case, catalog)
    assert not problems, f"{case.name}\n" + "\n".join(problems)


def _all_expectations(catalog):
    """(criterion id, role) → list of (case, merged facts of the finding)."""
    found = defaultdict(list)
    for path in CASE_PATHS:
        case = load_case(path, catalog)
        findings = {f.id: f for f in case.checklist.findings}
        for exp in case.expect["findings"]:
            finding = findings.get(exp["id"])
            if finding is None:
                continue
            facts = {**case.checklist.facts_for(finding),
                     **{f"judgment:{k}": j["decision"]
                        for k, j in case.checklist.judgments_for(finding).items()}}
            for role in ("fires", "near_miss"):
                if role in exp:
                    found[(exp[role], role)].append((case, finding, facts))
        for exp in case.expect.get("sites", []):
            answers = next((s.get("answers", {}) for s in case.checklist.raw.get("sites", [])
                            if s["id"] == exp["id"]), {})
            for role in ("fires", "near_miss"):
                if role in exp:
                    found[(exp[role], role)].append((case, SiteRef(exp["id"]), answers))
    return found


class SiteRef:
    """A site expectation in the near-miss bookkeeping (site rules count elements)."""

    def __init__(self, site_id):
        self.id = f"site:{site_id}"


def test_every_criterion_has_a_firing_case_and_a_near_miss(catalog):
    found = _all_expectations(catalog)
    lacking = [
        f"{cid}: 缺少{'触发案例' if role == 'fires' else '近似反例'}"
        for cid in catalog.criteria
        for role in ("fires", "near_miss")
        if not found.get((cid, role))
    ]
    assert not lacking, "\n".join(lacking)


def test_near_miss_changes_one_fact_of_its_own_condition(catalog):
    """A near miss must differ from some firing case of the same criterion in exactly one
    of that criterion's own facts (or recorded judgments) — not only in the industry or in
    unrelated answers."""
    found = _all_expectations(catalog)
    problems = []
    for (cid, role), near in found.items():
        if role != "near_miss" or catalog.criteria[cid].role == "site_rule":
            continue  # a site rule's near miss changes the elements found, checked by its case
        criterion = catalog.criteria[cid]
        own = set(criterion.facts) | {f"judgment:{j}" for j in criterion.judgment_ids}
        fires = found.get((cid, "fires"), [])
        for case, finding, facts in near:
            ok = False
            for _, _, firing in fires:
                differing = {f for f in own if facts.get(f, "∅") != firing.get(f, "∅")}
                same_keys = {f for f in own if f in facts} == {f for f in own if f in firing}
                if len(differing) == 1 and same_keys:
                    ok = True
                    break
            if not ok:
                problems.append(f"{case.path.relative_to(ROOT)} {finding.id}: 未找到仅差一个"
                                f"“{cid}”自身事实的触发案例")
    assert not problems, "\n".join(problems)


def test_every_criterion_records_clause_text_and_sources(catalog):
    for c in catalog.criteria.values():
        assert ((c.clause.startswith("第") and "条" in c.clause) or c.clause[0].isdigit()
                or c.clause.endswith("、")), c.id
        assert c.text and not any(ch.isspace() for ch in c.text), f"{c.id}: 条文为空或含空白"
        assert c.sources, f"{c.id}: 没有来源"
        if c.verified:
            classes = [s.cls for s in c.sources]
            assert "official" in classes or classes.count("secondary") >= 2, (
                f"{c.id}: verified 需要一个官方来源或两个独立二手来源")
