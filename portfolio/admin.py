"""The portfolio app's admin pages, one module per capability."""

from portfolio.attestations import admin as attestations_admin  # noqa: F401 (registers)
