"""Password hashing, encryption at rest, TOTP steps and recovery-code hashing."""

from __future__ import annotations

import pyotp
import pytest
from cryptography.fernet import Fernet

from finance_app.security import crypto, passwords, totp


def test_argon2id_hash_verifies_only_the_right_password():
    hashed = passwords.hash_password("long enough passphrase")
    assert hashed.startswith("$argon2id$")
    assert passwords.verify_password(hashed, "long enough passphrase")
    assert not passwords.verify_password(hashed, "long enough passphrasE")
    assert not passwords.verify_password(None, "anything")
    assert not passwords.verify_password("not-a-hash", "anything")


@pytest.mark.parametrize("weak", ["short", "password12345", "aaaaaaaaaaaaaaa", "123456789012"])
def test_weak_passwords_are_rejected(weak):
    with pytest.raises(passwords.WeakPasswordError):
        passwords.check_password_strength(weak)


def test_password_containing_the_email_is_rejected():
    with pytest.raises(passwords.WeakPasswordError):
        passwords.check_password_strength("alicewonderland", user_inputs=["alicewonderland"])
    passwords.check_password_strength("copper kettle sings 88")


def test_encryption_round_trip_and_key_rotation():
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    secret = crypto.encrypt("access-sandbox-123", old)
    assert "access-sandbox" not in secret
    assert crypto.decrypt(secret, f"{new},{old}") == "access-sandbox-123"
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(secret, new)


def test_totp_matching_step_allows_one_step_of_drift_only():
    secret = pyotp.random_base32()
    now = 1_700_000_000
    step = now // 30
    code = pyotp.TOTP(secret).at(now)
    assert totp.matching_step(secret, code, now=now) == step
    assert totp.matching_step(secret, code, now=now + 30) == step
    assert totp.matching_step(secret, code, now=now + 90) is None
    assert totp.matching_step(secret, "12345", now=now) is None


def test_recovery_codes_are_distinct_and_hash_insensitively():
    codes = totp.new_recovery_codes()
    assert len(set(codes)) == 10
    assert totp.hash_recovery_code(codes[0], "k") == totp.hash_recovery_code(
        codes[0].upper().replace("-", " "), "k")
    assert totp.hash_recovery_code(codes[0], "k") != totp.hash_recovery_code(codes[0], "k2")
