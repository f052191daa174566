"""Names a package re-exports from modules it imports only when a name is first used.

A package's ``__init__`` that imported every module eagerly made importing any one of its
modules import them all (``linkworker.followups.agenda`` pulled in booking, contacts and
the referral rules, and with them pydantic, before Today could paint). Such a package
lists what it re-exports with the module each name lives in and sets
``__getattr__ = lazy.exports(__name__, globals(), {...})`` (PEP 562); its ``TYPE_CHECKING``
block imports the same names, so type checkers and readers see them as before.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping


def exports(
    package: str, namespace: dict[str, object], where: Mapping[str, tuple[str, ...]]
) -> Callable[[str], object]:
    """A module ``__getattr__`` that imports ``package.<module>`` for the names it holds.

    ``where`` maps a module's name (relative to ``package``) to the names it re-exports.
    Each name is kept in ``namespace`` once imported, so the look-up happens once.
    """
    module_of = {name: module for module, names in where.items() for name in names}

    def __getattr__(name: str) -> object:
        module = module_of.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        namespace[name] = value
        return value

    return __getattr__
