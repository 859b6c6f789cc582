"""The hazard ledger (隐患台账) on SQLite: recorded inspections, each finding's verdict and its
rectification lifecycle with full history, administrative penalties, and the statistics
progress reports use. A library first; `hazardrules ledger …` is a thin CLI over it.

    from hazardrules.ledger import Ledger, Actor
    with Ledger() as ledger:                 # default file: see default_db_path()
        ledger.record(report)                # a hazardrules.judge.Report
"""

from __future__ import annotations

from .ledger import Event, Hazard, Ledger, Penalty, Recorded, replay
from .lifecycle import Actor, LifecycleError
from .stats import Figures, Stats
from .store import ENV_VAR, default_db_path

__all__ = [
    "ENV_VAR",
    "Actor",
    "Event",
    "Figures",
    "Hazard",
    "Ledger",
    "LifecycleError",
    "Penalty",
    "Recorded",
    "Stats",
    "default_db_path",
    "replay",
]
