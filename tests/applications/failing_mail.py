"""Mail backends that fail, to test that a refused message does not undo an action."""

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class Backend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("The mail server is down.")


class RefusesSomeBackend(LocmemBackend):
    """Delivers to mail.outbox, but refuses every message to an address starting "refused"."""

    def send_messages(self, email_messages):
        for message in email_messages:
            if any(address.startswith("refused") for address in message.to):
                raise ConnectionRefusedError("Mailbox unavailable.")
        return super().send_messages(email_messages)
