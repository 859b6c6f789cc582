"""hazardrules: China's major-accident-hazard judgment standards as data, and a rules
engine that assesses inspection findings against them (判定建议, not an official
determination).

    from hazardrules import load_criteria, load_checklist, check
    catalog = load_criteria()
    report = check(load_checklist("cases/examples/gongmao-self-check.yaml", catalog), catalog)
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "check",
    "explain_finding",
    "load_checklist",
    "load_criteria",
    "report_dict",
]


def __getattr__(name: str):
    # Lazy: `hazardrules --version` should not pay for yaml, jsonschema and the engine.
    if name == "load_criteria":
        from .catalog import load_catalog

        return load_catalog
    if name == "load_checklist":
        from .checklist import load_checklist

        return load_checklist
    if name == "check":
        from .judge import check

        return check
    if name == "explain_finding":
        from .api import explain_finding

        return explain_finding
    if name == "report_dict":
        from .report.json_out import report_dict

        return report_dict
    raise AttributeError(name)
