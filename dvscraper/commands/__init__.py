"""The command line's commands: one module per ``dvscraper`` command, with its arguments.

Each module has ``add_parser(subparsers)`` and ``run(args) -> int``; ``dvscraper.cli``
lists them and is the only importer of this package. Expected failures are raised as
``dvscraper.errors.DvscraperError`` subclasses, which carry their exit codes.
"""
