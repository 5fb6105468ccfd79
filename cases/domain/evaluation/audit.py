"""One place that writes the decision log, so every action records who, when, before and after."""

from cases.models import DecisionLog


def log_decision(*, edition, action, actor, case=None, before="", after="", reason=""):
    return DecisionLog.objects.create(
        edition=edition,
        case=case,
        actor=actor,
        action=action,
        before=str(before),
        after=str(after),
        reason=reason,
    )
