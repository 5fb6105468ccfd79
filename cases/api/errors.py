"""Every API error is JSON: ``{"status", "detail"[, "errors"][, "retry_after"]}``."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler


class BadParameters(exceptions.APIException):
    """Query parameters the API cannot use, with a message per parameter."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = _("Some parameters are not valid; nothing was searched.")
    default_code = "bad_parameters"

    def __init__(self, problems: dict[str, list[str]]):
        super().__init__()
        self.problems = problems


def _message(data) -> str:
    if isinstance(data, dict) and "detail" in data:
        return str(data["detail"])
    if isinstance(data, list) and data:
        return str(data[0])
    return str(data)


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    body = {"status": response.status_code, "detail": _message(response.data)}
    if isinstance(exc, BadParameters):
        body["errors"] = exc.problems
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        body["retry_after"] = int(exc.wait) + (0 if exc.wait == int(exc.wait) else 1)
    response.data = body
    return response
