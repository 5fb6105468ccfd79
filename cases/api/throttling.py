"""Anonymous throttling of the public API, counted in the shared cache."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle


class AnonymousRateThrottle(AnonRateThrottle):
    """Requests per client address, at ``settings.API_ANON_RATE`` (read on each request, so
    that the documented limit is the configured one)."""

    def get_rate(self):
        return settings.API_ANON_RATE
