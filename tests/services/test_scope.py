"""The one scoped path to a user's rows."""

from __future__ import annotations

import pytest

from finance_app.extensions import db
from finance_app.models.user import UserSession
from finance_app.services.errors import NotFound
from finance_app.services.scope import owned
from tests.conftest import make_user


def test_owned_finds_own_rows_and_hides_others(ctx):
    alice, bob = make_user("a@example.com"), make_user("b@example.com")
    row = UserSession(user_id=bob.id, token_hash="x" * 64)
    db.session.add(row)
    db.session.commit()
    assert owned(db.session, UserSession, row.id, bob.id) is row
    with pytest.raises(NotFound):
        owned(db.session, UserSession, row.id, alice.id)
    with pytest.raises(NotFound):
        owned(db.session, UserSession, "not-a-number", bob.id)
    with pytest.raises(NotFound):
        owned(db.session, UserSession, 999999, bob.id)
