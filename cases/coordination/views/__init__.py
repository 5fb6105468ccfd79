"""The coordinator back office, one module per page: editions and dashboard, eligibility,
assignments, ranking, entries, results, settings, the evaluator pool, messages, the outbox and
bulk imports.

Every view declares its permission (``common.coordinator_of_edition`` or
``common.coordinator_area``), reads through the selectors of ``cases.domain.queries`` and, for a
change, validates one form, calls one domain function and redirects. Each action has its own
URL: no view dispatches on a posted "action". A refused action re-renders the page with the
message, what was typed, and the action's status code.
"""
