from __future__ import annotations

import pytest

from finance_app import importers
from finance_app.importers import ImportFileError

ERRORS = [
    getattr(importers, name)
    for name in importers.__all__
    if isinstance(getattr(importers, name), type)
    and issubclass(getattr(importers, name), ImportFileError)
    and getattr(importers, name) is not ImportFileError
]


@pytest.mark.parametrize("error", ERRORS, ids=lambda e: e.__name__)
def test_each_cause_is_an_import_file_error_with_its_own_user_message(error):
    exc = error("technical detail")
    assert isinstance(exc, ImportFileError)
    assert exc.message == " ".join(error.__doc__.split())
    assert str(exc) == "technical detail"
    assert exc.message.endswith(".")
    assert exc.detail == "technical detail"


def test_messages_are_distinct():
    assert len({error.__doc__ for error in ERRORS}) == len(ERRORS) >= 7
