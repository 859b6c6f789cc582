"""A site that names none of the place categories its standard's rules distinguish is judged
as none of them — and the site verdict says so, in every output."""

from __future__ import annotations

from hazardrules.io.html_report import render_html
from hazardrules.report.json_out import report_dict
from hazardrules.report.text_out import render as render_text

from .test_sites import judge, site_catalog  # noqa: F401  (fixture)


def test_a_site_without_the_rules_categories_is_flagged(site_catalog):  # noqa: F811
    report = judge(site_catalog, 3, place="公共娱乐场所")
    [site] = report.sites
    assert site.level == "none"  # the 人员密集场所 rule cannot see a narrower name
    [note] = site.notes
    assert "公共娱乐场所" in note and "人员密集场所" in note
    assert report_dict(report)["sites"][0]["notes"] == [note]
    assert note in render_text(report)
    assert "注意：" in render_html(report)


def test_a_site_naming_a_category_carries_no_note(site_catalog):  # noqa: F811
    report = judge(site_catalog, 3, place="人员密集场所")
    assert report.sites[0].notes == []


def test_a_finding_open_for_its_own_reason_also_names_its_open_site(site_catalog):  # noqa: F811
    """F3's own answer is unknown; its site is open too. The finding keeps its own question
    first and names the site's open questions after, instead of hiding them."""
    report = judge(site_catalog, 2, unknown=1, site_answers={})
    [site] = report.sites
    assert site.level == "undetermined" and [m["fact"] for m in site.missing_facts] == ["needs_shutdown_to_fix"]
    f3 = next(v for v in report.verdicts if v.finding.id == "F3")
    assert f3.level == "undetermined" and f3.undetermined_reason == "missing_facts"
    assert [m["fact"] for m in f3.missing_facts] == ["special_ops_workers_certified", "needs_shutdown_to_fix"]
    assert any("所在场所" in t for t in f3.reason_text)
