"""CSV export of an edition's provisional ranking (coordinators only)."""

import csv
import io

from django.utils.translation import gettext as _


def _text(value):
    """Applicant-written text, defused for spreadsheets that run cells starting with = + - @."""
    value = str(value or "")
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _number(value, places=3):
    return "" if value is None else f"{value:.{places}f}"


def ranking_csv(entries, factors) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            _("category"),
            _("position"),
            _("registration number"),
            _("title"),
            _("country"),
            _("reviews assigned"),
            _("reviews submitted"),
            _("weighted totals"),
            _("z-scores"),
            _("mean"),
            _("median"),
            _("standard deviation"),
            _("normalised (mean z)"),
            _("difference"),
            _("disagreement"),
            _("outcome"),
        ]
        + [factor.slug for factor in factors]
    )
    for entry in entries:
        case = entry.case
        writer.writerow(
            [
                _text(case.category.name if case.category else ""),
                entry.position or "",
                _text(case.registration_number),
                _text(case.title),
                str(case.country),
                entry.assigned,
                entry.submitted,
                " ".join(str(total) for _evaluator, total in entry.totals),
                " ".join(f"{z:.3f}" for _evaluator, z in entry.z_scores),
                _number(entry.mean),
                _number(entry.median),
                _number(entry.stddev),
                _number(entry.normalised),
                _number(entry.spread),
                _("yes") if entry.disagreement else _("no"),
                case.outcome_label,
            ]
            + [_number(value, 2) for _factor, value in entry.factor_profile]
        )
    return buffer.getvalue()
