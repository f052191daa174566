"""A realistic, deterministic demo caseload (and the scale generator for bench/).

Same arguments, same rows: everything comes from one seeded ``random.Random`` and a clock
stopped at ``today`` 09:00. People are fictional; NHS numbers are in the 999 range the NHS
keeps for testing and phone numbers in Ofcom's range for drama.

Modules: :mod:`.words` (names and word lists), :mod:`.people` (one person and their flags),
:mod:`.episodes` (a referral and what followed), :mod:`.bulk` (the row writer) and
:mod:`.writer` (:func:`write_demo`). This package re-exports ``write_demo``, ``DemoSize``
and ``DemoError``.
"""

from linkworker.demo.writer import DemoError, DemoSize, write_demo

__all__ = ["DemoError", "DemoSize", "write_demo"]
