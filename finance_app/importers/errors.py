"""File-level import failures: one class per cause, whose docstring is the message users see."""

from __future__ import annotations


class ImportFileError(Exception):
    """This file could not be imported."""

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail or self.message)
        #: Technical detail for logs; `message` is what the user is shown.
        self.detail = detail

    @property
    def message(self) -> str:
        # The docstring, reflowed onto one line for display.
        return " ".join((type(self).__doc__ or ImportFileError.__doc__ or "").split())


class EmptyFileError(ImportFileError):
    """The file is empty."""


class NoDataRowsError(ImportFileError):
    """The file has a header but no transactions below it."""


class NotATableError(ImportFileError):
    """This file does not look like a bank export (it may be an image, a PDF or another binary
    file renamed). Export CSV, Excel, OFX/QFX or QIF from your bank and upload that."""


class UnsupportedFormatError(ImportFileError):
    """This file format is not supported. Upload CSV, Excel (.xlsx), OFX/QFX or QIF."""


class NoDateColumnError(ImportFileError):
    """No column of dates was found in this file."""


class NoAmountColumnError(ImportFileError):
    """No column of amounts was found in this file."""


class MappingMismatchError(ImportFileError):
    """The saved column choices do not fit this file; please choose the columns again."""


class TruncatedFileError(ImportFileError):
    """The file ends before its closing tag: it is incomplete or damaged, perhaps cut off while
    downloading. Nothing was imported; download it from your bank again and upload that."""
