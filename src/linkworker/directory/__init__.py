"""The community activity directory: importing, searching, editing and connecting people.

One module a subject:

- :mod:`.rows`: the typed rows (``ActivityRow``, ``ConnectionRow`` ...), reading activities back,
  ``DirectoryError``;
- :mod:`.imports`: Open Referral UK feeds and the shipped starter directory into the store;
- :mod:`.search` and :mod:`.matching`: full-text search with filters, and where it matched;
- :mod:`.freshness`: when an activity was last checked, and the link worker's own columns
  (verified, favourite, notes);
- :mod:`.edits`: adding, editing, retiring and restoring activities by hand;
- :mod:`.connections`: a person linked to an activity, and its status rules;
- :mod:`.suggestions`: activities that fit a person, with the reasons why;
- :mod:`.wording` and :mod:`.shortlist`: an activity in words, and the hand-out for a person;
- :mod:`.export`: the whole directory as one HSDS v3 page, and the file writer.

This package re-exports the public names of those modules (the names in ``__all__`` below),
so callers write ``from linkworker import directory`` and ``directory.search(...)``.
"""

from linkworker.directory.connections import (
    CONNECTION_STEPS,
    OPEN_CONNECTION_STATUSES,
    check_connection_move,
    connect,
    connections_for_activity,
    connections_for_person,
    connections_to_ask,
    get_connection,
    move_connection,
    next_statuses,
    open_connection_count,
    status_words,
)
from linkworker.directory.edits import (
    add_activity,
    details_of,
    restore_activity,
    retire_activity,
    schedule_fields,
    update_activity,
)
from linkworker.directory.export import export_directory
from linkworker.directory.freshness import (
    Freshness,
    freshness,
    is_stale,
    last_checked,
    mark_verified,
    set_notes,
    stale_before,
    toggle_favourite,
)
from linkworker.directory.imports import (
    IMPORTED_COLUMNS,
    ImportReport,
    Progress,
    ensure_starter,
    import_feed,
    import_services,
    load_starter,
    needs_starter,
    starter_path,
    store_activities,
)
from linkworker.directory.matching import (
    MatchContext,
    fts_query,
    match_context,
    match_spans,
    query_words,
)
from linkworker.directory.referral_note import referral_note
from linkworker.directory.rows import (
    ActivityRow,
    ConnectionRow,
    ConnectionWithActivity,
    ConnectionWithPerson,
    DirectoryError,
    activity_count,
    decode_list,
    get_activity,
    list_activities,
)
from linkworker.directory.search import (
    TIMES_OF_DAY,
    SearchFilter,
    SearchPage,
    areas_in_use,
    categories_in_use,
    parse_area,
    search,
    search_count,
    search_page,
)
from linkworker.directory.shortlist import (
    HandoutSection,
    handout_sections,
    shortlist_document,
    shortlist_text,
)
from linkworker.directory.suggestions import (
    NEED_TO_CATEGORY,
    PersonContext,
    Suggestion,
    person_context,
    suggest_activities,
)
from linkworker.directory.wording import cost_short, when_lines, when_short, where_short

__all__ = [
    "CONNECTION_STEPS",
    "IMPORTED_COLUMNS",
    "NEED_TO_CATEGORY",
    "OPEN_CONNECTION_STATUSES",
    "TIMES_OF_DAY",
    "ActivityRow",
    "ConnectionRow",
    "ConnectionWithActivity",
    "ConnectionWithPerson",
    "DirectoryError",
    "Freshness",
    "HandoutSection",
    "ImportReport",
    "MatchContext",
    "PersonContext",
    "Progress",
    "SearchFilter",
    "SearchPage",
    "Suggestion",
    "activity_count",
    "add_activity",
    "areas_in_use",
    "categories_in_use",
    "check_connection_move",
    "connect",
    "connections_for_activity",
    "connections_for_person",
    "connections_to_ask",
    "cost_short",
    "decode_list",
    "details_of",
    "ensure_starter",
    "export_directory",
    "freshness",
    "fts_query",
    "get_activity",
    "get_connection",
    "handout_sections",
    "import_feed",
    "import_services",
    "is_stale",
    "last_checked",
    "list_activities",
    "load_starter",
    "mark_verified",
    "match_context",
    "match_spans",
    "move_connection",
    "needs_starter",
    "next_statuses",
    "open_connection_count",
    "parse_area",
    "person_context",
    "query_words",
    "referral_note",
    "restore_activity",
    "retire_activity",
    "schedule_fields",
    "search",
    "search_count",
    "search_page",
    "set_notes",
    "shortlist_document",
    "shortlist_text",
    "stale_before",
    "starter_path",
    "status_words",
    "store_activities",
    "suggest_activities",
    "toggle_favourite",
    "update_activity",
    "when_lines",
    "when_short",
    "where_short",
]
