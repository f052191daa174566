"""Reports from the caseload: the figures, gathered from the store (no formatting here).

* :mod:`.period`: reporting periods and the presets a link worker picks from;
* :mod:`.disclosure`: the small-number suppression rule every pseudonymised figure obeys;
* :mod:`.content`: what each report says, as plain data (read by :mod:`linkworker.formats`);
* :mod:`.snapshot`: headline counts over the whole store;
* :mod:`.gp_message`: gathering the message back to the GP and referrer for one episode;
* :mod:`.caseload` and :mod:`.episodes`: the commissioner's figures for a period, in SQL;
* :mod:`.combined`: those figures in a form that adds up across workers, and adding them up
  (a team's report);
* :mod:`.export`: computing a report and writing its files (the caseload report, and the
  subject access export), through the pure writers of :mod:`linkworker.formats`.

Re-exported here, so ``reports.caseload_report(...)`` reads as before: ``Period``,
``period_presets``; ``Disclosure``, ``SMALL_NUMBER``, ``SUPPRESSED``, ``WITHHELD``,
``DISCLOSURE_RULE``, ``IDENTIFIABLE_NOTICE``; the content types (``GPMessage``,
``SnomedEntry``, ``GoalOutcome``, ``ConnectionOutcome``, ``MeasureOutcome``,
``CaseloadReport``, ``OutcomeChange``, ``CategoryConnections``, ``EpisodeRow``) with
``AGE_BANDS``, ``NOT_KNOWN``, ``OUTCOME_SCORES`` and ``age_band``;
``decode_json`` and ``median_of_histogram``; ``Snapshot`` and ``snapshot``; ``gp_message``,
``consent_applies`` and ``snomed_codes``; ``caseload_report``. The file exports are not
re-exported (they import :mod:`linkworker.formats`, which imports this package): import
them from :mod:`linkworker.reports.export`.
"""

from linkworker.reports.caseload import caseload_report
from linkworker.reports.content import (
    AGE_BANDS,
    NOT_KNOWN,
    OUTCOME_SCORES,
    CaseloadReport,
    CategoryConnections,
    ConnectionOutcome,
    EpisodeRow,
    GoalOutcome,
    GPMessage,
    MeasureOutcome,
    OutcomeChange,
    SnomedEntry,
    age_band,
)
from linkworker.reports.counting import decode_json, median_of_histogram
from linkworker.reports.disclosure import (
    DISCLOSURE_RULE,
    IDENTIFIABLE_NOTICE,
    SMALL_NUMBER,
    SUPPRESSED,
    WITHHELD,
    Disclosure,
)
from linkworker.reports.gp_message import consent_applies, gp_message, snomed_codes
from linkworker.reports.period import Period, period_presets
from linkworker.reports.snapshot import Snapshot, snapshot

__all__ = [
    "AGE_BANDS",
    "DISCLOSURE_RULE",
    "IDENTIFIABLE_NOTICE",
    "NOT_KNOWN",
    "OUTCOME_SCORES",
    "SMALL_NUMBER",
    "SUPPRESSED",
    "WITHHELD",
    "CaseloadReport",
    "CategoryConnections",
    "ConnectionOutcome",
    "Disclosure",
    "EpisodeRow",
    "GPMessage",
    "GoalOutcome",
    "MeasureOutcome",
    "OutcomeChange",
    "Period",
    "Snapshot",
    "SnomedEntry",
    "age_band",
    "caseload_report",
    "consent_applies",
    "decode_json",
    "gp_message",
    "median_of_histogram",
    "period_presets",
    "snapshot",
    "snomed_codes",
]
