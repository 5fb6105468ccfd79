"""Admin registrations, one module per area."""

from cases import admin_evaluation  # noqa: F401
