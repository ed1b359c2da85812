"""Receipts: type by content, size limit, random storage keys, owner-only, removed on delete."""

from __future__ import annotations

import pytest

from finance_app.extensions import db
from finance_app.models.ledger import Attachment
from finance_app.services.errors import NotFound
from finance_app.services.transactions import attachments
from finance_app.services.transactions.records import delete_transaction
from tests.factories import make_account, make_txn, make_user, scope_of

PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
                    "0000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082")
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@pytest.fixture()
def receipts(tmp_path):
    """A folder of its own for the stored files (the app keeps other things in tmp_path)."""
    folder = tmp_path / "receipts"
    folder.mkdir()
    return folder


@pytest.fixture()
def alice(ctx):
    return make_user("alice@example.com")


@pytest.mark.parametrize(("name", "data", "stored_type", "shown"), [
    ("receipt.pdf", PNG, "image/png", "receipt.png"),  # a PNG renamed .pdf is a PNG
    ("scan.jpeg", JPEG, "image/jpeg", "scan.jpg"),
    ("../../etc/passwd.pdf", PDF, "application/pdf", "passwd.pdf"),
])
def test_type_comes_from_the_content_and_the_file_gets_a_random_key(
    alice, receipts, name, data, stored_type, shown
):
    txn = make_txn(make_account(alice.id), "-9.99")
    attachment = attachments.add_attachment(db.session, scope_of(alice), txn.id, name, data,
                                            receipts)
    db.session.commit()
    assert attachment.content_type == stored_type and attachment.filename == shown
    assert attachment.size == len(data)
    stored = list(receipts.iterdir())
    assert [p.name for p in stored] == [attachment.storage_key]
    assert name.rsplit("/", 1)[-1].rsplit(".", 1)[0] not in attachment.storage_key
    found, path = attachments.open_attachment(db.session, scope_of(alice), attachment.id, receipts)
    assert found.id == attachment.id and path.read_bytes() == data


def test_text_renamed_jpg_empty_and_oversized_files_are_refused(alice, receipts):
    txn = make_txn(make_account(alice.id), "-9.99")
    with pytest.raises(attachments.UnsupportedFileType):
        attachments.add_attachment(db.session, scope_of(alice), txn.id, "photo.jpg",
                                   b"just some text, honest\n" * 10, receipts)
    with pytest.raises(attachments.EmptyFile):
        attachments.add_attachment(db.session, scope_of(alice), txn.id, "a.png", b"", receipts)
    with pytest.raises(attachments.FileTooLarge):
        attachments.add_attachment(db.session, scope_of(alice), txn.id, "big.png",
                                   PNG + b"\x00" * 2048, receipts, max_bytes=1024)
    assert list(receipts.iterdir()) == []


def test_only_the_owner_can_open_or_delete_and_files_go_after_commit(alice, receipts):
    bob = make_user("bob@example.com")
    txn = make_txn(make_account(alice.id), "-9.99")
    first = attachments.add_attachment(db.session, scope_of(alice), txn.id, "a.png", PNG, receipts)
    second = attachments.add_attachment(db.session, scope_of(alice), txn.id, "b.pdf", PDF, receipts)
    db.session.commit()
    with pytest.raises(NotFound):
        attachments.open_attachment(db.session, scope_of(bob), first.id, receipts)
    with pytest.raises(NotFound):
        attachments.delete_attachment(db.session, scope_of(bob), first.id, receipts)

    attachments.delete_attachment(db.session, scope_of(alice), first.id, receipts)
    db.session.rollback()  # a rolled-back deletion keeps the file
    assert len(list(receipts.iterdir())) == 2
    attachments.delete_attachment(db.session, scope_of(alice), first.id, receipts)
    db.session.commit()
    assert [p.name for p in receipts.iterdir()] == [second.storage_key]

    delete_transaction(db.session, scope_of(alice), txn.id, receipts)
    db.session.commit()
    assert list(receipts.iterdir()) == []
    assert db.session.query(Attachment).count() == 0
