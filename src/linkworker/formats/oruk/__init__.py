"""Open Referral UK (HSDS v3) import and export: pure mapping and validation.

An Open Referral UK feed describes *services*; linkworker keeps each one as an
*activity*, a flat :class:`ActivityRecord` whose :meth:`ActivityRecord.to_row` gives
exactly the columns of the ``activities`` table.

Import reads a JSON service, a list page, an array of services, a folder of those, or
an HSDS tabular data package (CSV), and maps what is usable. Real feeds are messy, so a
bad record never stops an import: it is skipped (no name, not an object, duplicate id)
or imported with the bad field dropped, and each problem is reported as a
:class:`RecordProblem`. Only input that is not a feed at all raises :class:`FeedError`.

Export builds one HSDS v3 list page from activity rows. ``parse_services`` of an exported
page gives back records equal to the originals, field for field.

Text is kept literally: markup such as ``[bold]`` or terminal escape sequences are data
here, and the display code escapes them.

The package is pure: standard library and pydantic only, no database or UI. Its modules:
:mod:`.vocabulary` (statuses, columns, ids), :mod:`.values` (times, days, dates, costs),
:mod:`.record` (the record and the import's results), :mod:`.fields` and :mod:`.mapping`
(one service to one record), :mod:`.reading` and :mod:`.data_package` (files: JSON pages
and CSV data packages), :mod:`.writing` (the list page). Names with a leading underscore
are the package's own, shared between its modules.

Re-exported here: ``COLUMNS``, ``STATUSES``, ``ActivityRecord``, ``FeedError``,
``ParsedFeed``, ``RecordProblem``, ``export_page``, ``page_json``, ``load_feed``,
``parse_services``, and ``_ordinal`` (which :mod:`linkworker.directory` uses to word
schedules).
"""

from linkworker.formats.oruk.mapping import parse_services
from linkworker.formats.oruk.reading import load_feed
from linkworker.formats.oruk.record import ActivityRecord, FeedError, ParsedFeed, RecordProblem
from linkworker.formats.oruk.values import _ordinal
from linkworker.formats.oruk.vocabulary import COLUMNS, STATUSES
from linkworker.formats.oruk.writing import export_page, page_json

__all__ = [
    "COLUMNS",
    "STATUSES",
    "ActivityRecord",
    "FeedError",
    "ParsedFeed",
    "RecordProblem",
    "_ordinal",
    "export_page",
    "load_feed",
    "page_json",
    "parse_services",
]
