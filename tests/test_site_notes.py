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
