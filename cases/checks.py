"""System checks of the portal's own deployment needs (``manage.py check --deploy``)."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.caches, deploy=True)
def shared_cache_for_throttling(app_configs, **kwargs):
    """Throttling counts, and the library's cached counts, must be shared by every worker."""
    if settings.DEBUG or getattr(settings, "REDIS_URL", ""):
        return []
    return [
        checks.Warning(
            "REDIS_URL is not set: each worker process keeps its own cache, so rate limits "
            "(password reset, registration, verification resend, join requests) count per "
            "process and the library's cached figures go stale in the other workers.",
            hint="Set REDIS_URL to a Redis server that every worker shares.",
            id="cases.W001",
        )
    ]
