"""The visitor's comparison list, kept in the session (no account needed, at most four cases)."""

from django.utils.translation import gettext_lazy as _

MAX_COMPARED = 4
SESSION_KEY = "library_comparison"


class ComparisonFull(Exception):
    message = _("The comparison already holds four cases; remove one before adding another.")


class ComparisonTray:
    def __init__(self, session):
        self.session = session

    @property
    def slugs(self) -> list[str]:
        stored = self.session.get(SESSION_KEY, [])
        return [slug for slug in stored if isinstance(slug, str)][:MAX_COMPARED]

    def __contains__(self, slug: str) -> bool:
        return slug in self.slugs

    def __len__(self):
        return len(self.slugs)

    def add(self, slug: str) -> bool:
        """Add ``slug``; False if it was already there. Raises ComparisonFull at four."""
        slugs = self.slugs
        if slug in slugs:
            return False
        if len(slugs) >= MAX_COMPARED:
            raise ComparisonFull
        self.session[SESSION_KEY] = [*slugs, slug]
        return True

    def remove(self, slug: str) -> bool:
        slugs = self.slugs
        if slug not in slugs:
            return False
        self.session[SESSION_KEY] = [item for item in slugs if item != slug]
        return True

    def clear(self) -> None:
        self.session.pop(SESSION_KEY, None)

    def keep_only(self, slugs) -> None:
        """Forget cases that are no longer published."""
        kept = [slug for slug in self.slugs if slug in set(slugs)]
        if kept != self.slugs:
            self.session[SESSION_KEY] = kept
