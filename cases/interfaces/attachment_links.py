"""Links to a case's private attachments through the protected view, when it exists."""

from django.urls import NoReverseMatch, reverse


def attachment_links(case):
    """The case's attachments, each with ``url`` set to the protected view, or None."""
    attachments = list(case.attachments.all())
    for attachment in attachments:
        try:
            attachment.url = reverse("applications:attachment", args=[case.pk, attachment.pk])
        except NoReverseMatch:
            attachment.url = None
    return attachments
