"""A Plaid-compatible HTTP server for tests: the documented JSON shapes of the endpoints the app
calls, Plaid's error bodies, and knobs to make it fail the way Plaid does.

It runs in a thread on 127.0.0.1; the app talks to it through the real plaid-python client
(PLAID_HOST points there). Transactions of an Item are a change log: `/transactions/sync` hands
out its entries after the cursor, `count` at a time, compacted the way Plaid compacts a page.
Webhooks are signed with an ES256 key this server also serves at
/webhook_verification_key/get, so the app verifies them exactly as it would Plaid's.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

CLIENT_ID, SECRET = "test-client-id", "test-secret"


@dataclass
class FakeItem:
    item_id: str
    access_token: str
    institution_id: str
    accounts: list[dict[str, Any]]
    webhook: str | None = None
    # (kind, transaction): kind is added / modified / removed.
    log: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    error: dict[str, Any] | None = None
    removed: bool = False


def _error(error_type: str, error_code: str, message: str,
           display: str | None = None) -> dict[str, Any]:
    return {"error_type": error_type, "error_code": error_code, "error_message": message,
            "display_message": display, "request_id": secrets.token_hex(6),
            "documentation_url": "", "suggested_action": None}


def _money(value: Decimal | str | None) -> Any:
    return None if value is None else float(Decimal(value))


class FakePlaid:
    """The server's state, and helpers tests use to shape it."""

    def __init__(self) -> None:
        from cryptography.hazmat.primitives.asymmetric import ec

        self.items: dict[str, FakeItem] = {}
        self.public_tokens: dict[str, str] = {}
        self.calls: list[str] = []
        # endpoint -> queue of (status, body) answered before the real one.
        self.failures: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        # Answer TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION once on the sync page after this
        # many pages of a run (counted per access token since the flag was set).
        self.mutation_after_pages: int | None = None
        self._pages_since_flag = 0
        self.signing_key = ec.generate_private_key(ec.SECP256R1())
        self.kid = "fake-kid-" + secrets.token_hex(4)
        self.lock = threading.Lock()
        self._counter = 0

    # ------------------------------------------------------------ shaping the data

    def _next(self, prefix: str) -> str:
        self._counter += 1
        return f"{prefix}-{self._counter}-{secrets.token_hex(3)}"

    def create_item(self, institution_id: str = "ins_109508",
                    accounts: list[dict[str, Any]] | None = None,
                    webhook: str | None = None) -> FakeItem:
        accounts = accounts if accounts is not None else [
            self.account("Plaid Checking", "0000", "depository", "checking", "110.00", "100.00"),
            self.account("Plaid Credit Card", "3333", "credit", "credit card", "410.00", None),
        ]
        item = FakeItem(self._next("item"), self._next("access-sandbox"), institution_id,
                        accounts, webhook)
        self.items[item.access_token] = item
        return item

    def account(self, name: str, mask: str, type_: str, subtype: str, current: str | None,
                available: str | None, currency: str = "USD") -> dict[str, Any]:
        return {
            "account_id": self._next("acc"), "name": name, "official_name": None, "mask": mask,
            "type": type_, "subtype": subtype,
            "balances": {"current": _money(current), "available": _money(available),
                         "limit": None, "iso_currency_code": currency,
                         "unofficial_currency_code": None},
        }

    def item(self, index: int = 0) -> FakeItem:
        return list(self.items.values())[index]

    def item_by_id(self, item_id: str) -> FakeItem:
        return next(i for i in self.items.values() if i.item_id == item_id)

    def transaction(self, account_id: str, amount: str, on: date, name: str, *,
                    merchant: str | None = None, pending: bool = False,
                    pending_transaction_id: str | None = None,
                    category: str = "GENERAL_MERCHANDISE",
                    transaction_id: str | None = None) -> dict[str, Any]:
        """A transaction as Plaid writes it: a positive amount is money out of the account."""
        return {
            "transaction_id": transaction_id or self._next("txn"), "account_id": account_id,
            "amount": _money(amount), "iso_currency_code": "USD",
            "unofficial_currency_code": None, "date": on.isoformat(),
            "authorized_date": None, "name": name, "merchant_name": merchant,
            "pending": pending, "pending_transaction_id": pending_transaction_id,
            "payment_channel": "in store", "category": None, "category_id": None,
            "personal_finance_category": {"primary": category, "detailed": category + "_OTHER",
                                          "confidence_level": "HIGH"},
            "location": {}, "counterparties": [], "transaction_code": None,
        }

    def add(self, item: FakeItem, *transactions: dict[str, Any]) -> None:
        with self.lock:
            item.log += [("added", t) for t in transactions]

    def modify(self, item: FakeItem, transaction: dict[str, Any]) -> None:
        with self.lock:
            item.log.append(("modified", transaction))

    def remove(self, item: FakeItem, transaction_id: str) -> None:
        with self.lock:
            item.log.append(("removed", {"transaction_id": transaction_id,
                                         "account_id": None}))

    def fail_next(self, endpoint: str, status: int, error_type: str, error_code: str,
                  message: str = "", times: int = 1, display: str | None = None) -> None:
        self.failures.setdefault(endpoint, []).extend(
            [(status, _error(error_type, error_code, message or error_code, display))] * times)

    def set_item_error(self, item: FakeItem, error_code: str | None) -> None:
        item.error = None if error_code is None else _error(
            "ITEM_ERROR", error_code, "the login details of this item have changed",
            "Your bank needs you to sign in again.")

    def mutate_during_pagination(self, after_pages: int) -> None:
        self.mutation_after_pages, self._pages_since_flag = after_pages, 0

    # ------------------------------------------------------------ webhooks

    def jwk(self) -> dict[str, Any]:
        import base64

        numbers = self.signing_key.public_key().public_numbers()

        def b64(n: int) -> str:
            return base64.urlsafe_b64encode(n.to_bytes(32, "big")).rstrip(b"=").decode()

        return {"alg": "ES256", "crv": "P-256", "kid": self.kid, "kty": "EC", "use": "sig",
                "x": b64(numbers.x), "y": b64(numbers.y), "created_at": 1_700_000_000,
                "expired_at": None}

    def sign(self, body: bytes, *, iat: float | None = None, key: Any = None,
             kid: str | None = None) -> str:
        """A Plaid-Verification JWT for `body`."""
        import jwt

        claims = {"iat": int(time.time() if iat is None else iat),
                  "request_body_sha256": hashlib.sha256(body).hexdigest()}
        return jwt.encode(claims, key or self.signing_key, algorithm="ES256",
                          headers={"kid": kid or self.kid})

    # ------------------------------------------------------------ endpoints

    def handle(self, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        self.calls.append(path)
        queued = self.failures.get(path)
        if queued:
            return queued.pop(0)
        handler = getattr(self, "_" + path.strip("/").replace("/", "_"), None)
        if handler is None:
            return 404, _error("INVALID_REQUEST", "UNKNOWN_ENDPOINT", f"no endpoint {path}")
        if body.get("client_id") != CLIENT_ID or body.get("secret") != SECRET:
            return 400, _error("INVALID_INPUT", "INVALID_API_KEYS",
                               "invalid client_id or secret provided")
        with self.lock:
            return handler(body)

    def _item_for(self, body: dict[str, Any]) -> FakeItem | tuple[int, dict[str, Any]]:
        item = self.items.get(str(body.get("access_token")))
        if item is None or item.removed:
            return 400, _error("INVALID_INPUT", "INVALID_ACCESS_TOKEN",
                               "provided access token is in an invalid format")
        if item.error is not None:
            return 400, item.error
        return item

    def _link_token_create(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if not body.get("user", {}).get("client_user_id"):
            return 400, _error("INVALID_REQUEST", "MISSING_FIELDS", "user.client_user_id")
        return 200, {"link_token": "link-sandbox-" + secrets.token_hex(8),
                     "expiration": "2030-01-01T00:00:00Z", "request_id": "r"}

    def _sandbox_public_token_create(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        webhook = (body.get("options") or {}).get("webhook")
        item = self.create_item(str(body.get("institution_id")), webhook=webhook)
        token = "public-sandbox-" + secrets.token_hex(8)
        self.public_tokens[token] = item.access_token
        return 200, {"public_token": token, "request_id": "r"}

    def issue_public_token(self, item: FakeItem) -> str:
        """What Plaid Link hands the page after the user linked `item`."""
        token = "public-sandbox-" + secrets.token_hex(8)
        self.public_tokens[token] = item.access_token
        return token

    def _item_public_token_exchange(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        access_token = self.public_tokens.pop(str(body.get("public_token")), None)
        if access_token is None:
            return 400, _error("INVALID_INPUT", "INVALID_PUBLIC_TOKEN",
                               "provided public token is expired")
        item = self.items[access_token]
        return 200, {"access_token": access_token, "item_id": item.item_id, "request_id": "r"}

    def _accounts_get(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        item = self._item_for(body)
        if not isinstance(item, FakeItem):
            return item
        return 200, {"accounts": item.accounts, "item": self._item_json(item), "request_id": "r"}

    def _item_json(self, item: FakeItem) -> dict[str, Any]:
        return {"item_id": item.item_id, "institution_id": item.institution_id,
                "webhook": item.webhook, "error": item.error,
                "available_products": ["balance"], "billed_products": ["transactions"],
                "products": ["transactions"], "consent_expiration_time": None,
                "update_type": "background"}

    def _item_get(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        item = self.items.get(str(body.get("access_token")))
        if item is None or item.removed:
            return 400, _error("INVALID_INPUT", "INVALID_ACCESS_TOKEN", "invalid access token")
        return 200, {"item": self._item_json(item), "status": None, "request_id": "r"}

    def _item_remove(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        item = self._item_for(body)
        if not isinstance(item, FakeItem):
            return item
        item.removed = True
        return 200, {"request_id": "r"}

    def _institutions_get_by_id(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        names = {"ins_109508": "First Platypus Bank", "ins_109509": "First Gingham Credit Union"}
        institution_id = str(body.get("institution_id"))
        return 200, {"institution": {"institution_id": institution_id,
                                     "name": names.get(institution_id, "Test Bank"),
                                     "products": ["transactions"], "country_codes": ["US"]},
                     "request_id": "r"}

    def _webhook_verification_key_get(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if body.get("key_id") != self.kid:
            return 400, _error("INVALID_INPUT", "INVALID_WEBHOOK_VERIFICATION_KEY_ID",
                               "invalid key_id provided")
        return 200, {"key": self.jwk(), "request_id": "r"}

    def _transactions_sync(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        item = self._item_for(body)
        if not isinstance(item, FakeItem):
            return item
        cursor = body.get("cursor") or ""
        start = int(cursor.rsplit("-", 1)[-1]) if cursor else 0
        if self.mutation_after_pages is not None and cursor:
            self._pages_since_flag += 1
            if self._pages_since_flag > self.mutation_after_pages:
                self.mutation_after_pages = None
                return 400, _error("TRANSACTIONS_ERROR",
                                   "TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION",
                                   "underlying transaction data changed since last page "
                                   "was fetched. Please restart pagination from last update.")
        count = int(body.get("count") or 100)
        entries = item.log[start : start + count]
        end = start + len(entries)
        added: dict[str, dict[str, Any]] = {}
        modified: dict[str, dict[str, Any]] = {}
        removed: dict[str, dict[str, Any]] = {}
        for kind, txn in entries:  # the page's net effect, as Plaid compacts it
            tid = txn["transaction_id"]
            if kind == "added":
                added[tid] = txn
            elif kind == "modified":
                if tid in added:
                    added[tid] = txn
                else:
                    modified[tid] = txn
            else:
                added.pop(tid, None)
                modified.pop(tid, None)
                removed[tid] = {"transaction_id": tid, "account_id": txn.get("account_id")}
        return 200, {
            "added": list(added.values()), "modified": list(modified.values()),
            "removed": list(removed.values()), "accounts": item.accounts,
            "next_cursor": f"{item.item_id}-{end}", "has_more": end < len(item.log),
            "transactions_update_status": "HISTORICAL_UPDATE_COMPLETE", "request_id": "r",
        }


class _Handler(BaseHTTPRequestHandler):
    fake: FakePlaid

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = {}
        # plaid-python sends the keys as headers; Plaid also takes them in the body.
        body.setdefault("client_id", self.headers.get("PLAID-CLIENT-ID"))
        body.setdefault("secret", self.headers.get("PLAID-SECRET"))
        status, payload = self.fake.handle(self.path, body)
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        return None


class FakePlaidServer:
    """`with FakePlaidServer() as server:` — `server.url` for PLAID_HOST, `server.fake` to shape."""

    def __init__(self) -> None:
        self.fake = FakePlaid()
        handler = type("Handler", (_Handler,), {"fake": self.fake})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> FakePlaidServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)
