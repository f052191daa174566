"""Working in a team: keys, case handovers and the hub's reports.

* :mod:`.keys`: this worker's own key pair (kept inside the encrypted store), colleagues' and
  hubs' public keys by name, and opening sealed files (:mod:`linkworker.formats.sealed`)
  with them, each file taken in once.
* :mod:`.handover` and :mod:`.receive`: one person's whole record sealed to a colleague (the
  record here then read-only, or erased), and taken in at the other end with new ids.
* :mod:`.shared_knowledge`: what the worker knows of activities, shared and merged (the
  newer dated value wins, field by field).
* :mod:`.bundle`: a worker's team bundle, the period's figures sealed for the hub.
* :mod:`.hub`: the hub opening every worker's bundle, checking it and writing the team's
  commissioner report.
"""
