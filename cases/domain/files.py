"""Checks on uploaded files: the content decides what a file is, never its name.

Applicants may attach PDF documents and PNG or JPEG images. The first bytes of a file (its
"magic number") say which format it really is; a name ending in ``.pdf`` on a file that is
something else is refused, and so is a real PDF named ``.png``.
"""

from dataclasses import dataclass
from pathlib import PurePath

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS_PER_CASE = 5


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extension: str
    label: str
    extensions: tuple[str, ...]


PDF = FileKind("application/pdf", "pdf", "PDF", ("pdf",))
PNG = FileKind("image/png", "png", "PNG", ("png",))
JPEG = FileKind("image/jpeg", "jpg", "JPEG", ("jpg", "jpeg"))
ALLOWED_KINDS = (PDF, PNG, JPEG)


class UploadRejected(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def sniff(head: bytes) -> FileKind | None:
    """The kind of file whose first bytes are ``head``, if it is one we accept."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    return None


def read_head(uploaded_file, length: int = 16) -> bytes:
    uploaded_file.seek(0)
    head = uploaded_file.read(length)
    uploaded_file.seek(0)
    return head


def check_upload(uploaded_file) -> FileKind:
    """Return the file's kind, or raise UploadRejected with a message for the applicant."""
    name = PurePath(uploaded_file.name or "").name
    if uploaded_file.size == 0:
        raise UploadRejected(_("The file “%(name)s” is empty.") % {"name": name})
    if uploaded_file.size > MAX_ATTACHMENT_BYTES:
        raise UploadRejected(
            _("The file “%(name)s” is %(size)s; files may be at most %(limit)s.")
            % {
                "name": name,
                "size": filesizeformat(uploaded_file.size),
                "limit": filesizeformat(MAX_ATTACHMENT_BYTES),
            }
        )
    kind = sniff(read_head(uploaded_file))
    if kind is None:
        raise UploadRejected(
            _(
                "The file “%(name)s” is not a PDF, PNG or JPEG file (its content was checked, "
                "not only its name). Save it as PDF, PNG or JPEG and upload it again."
            )
            % {"name": name}
        )
    extension = PurePath(name).suffix.lower().lstrip(".")
    if extension not in kind.extensions:
        raise UploadRejected(
            _(
                "The file “%(name)s” is named as a .%(extension)s file but its content is "
                "%(kind)s. Rename it to end in .%(right)s or upload the intended file."
            )
            % {
                "name": name,
                "extension": extension or "?",
                "kind": kind.label,
                "right": kind.extension,
            }
        )
    return kind
