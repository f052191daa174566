"""Pure writers and readers of what leaves or enters the laptop; no store is imported here.

* :mod:`.writer`: the one file writer (temporary file, fsync, rename; 0600; never replaces
  a file unless asked) and the one-line report of what was written;
* :mod:`.text`: words every export shares (dates, numbers, codes, Markdown made safe);
* :mod:`.gp_message`: the message back to the GP and referrer (text, Markdown, JSON);
* :mod:`.caseload_report`, :mod:`.charts`, :mod:`.report_files`: the commissioner's caseload
  report laid out as tables, drawn as charts, and written as CSV, zip, JSON, Markdown, HTML;
* :mod:`.subject_access`: the subject access export (JSON and Markdown);
* :mod:`.oruk`: Open Referral UK (HSDS v3) feeds in and out.

What reads the store and then calls these lives in the core (:mod:`linkworker.reports.export`).
"""
