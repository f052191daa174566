"""The `linkworker` command line: one module per command group."""

from linkworker.cli.entry import main

__all__ = ["main"]
