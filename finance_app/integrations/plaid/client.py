"""Calls to Plaid through plaid-python, pointed at Plaid or at any Plaid-compatible host."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from finance_app.integrations.plaid.errors import PlaidError, PlaidNotConfigured

HOSTS = {"sandbox": "https://sandbox.plaid.com", "production": "https://production.plaid.com"}
CLIENT_NAME = "Ledgerly"
# Transactions per /transactions/sync page (Plaid's maximum is 500).
PAGE_SIZE = 500
TIMEOUT_SECONDS = 30


@dataclass(frozen=True)
class PlaidSettings:
    client_id: str
    secret: str
    env: str = "sandbox"
    host: str | None = None

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> PlaidSettings:
        client_id, secret = config.get("PLAID_CLIENT_ID"), config.get("PLAID_SECRET")
        if not client_id or not secret:
            raise PlaidNotConfigured(PlaidNotConfigured.__doc__)
        return cls(str(client_id), str(secret), str(config.get("PLAID_ENV") or "sandbox"),
                   config.get("PLAID_HOST") or None)

    @property
    def base_url(self) -> str:
        return (self.host or HOSTS.get(self.env, HOSTS["sandbox"])).rstrip("/")


@dataclass(frozen=True)
class ExchangedItem:
    access_token: str
    item_id: str


def _loads(data: bytes | str) -> dict[str, Any]:
    # Amounts and balances stay exact: JSON numbers with a fraction become Decimal.
    loaded = json.loads(data, parse_float=Decimal)
    if not isinstance(loaded, dict):
        raise PlaidError(502, "API_ERROR", "INVALID_RESPONSE", "response is not a JSON object")
    return loaded


class PlaidClient:
    """The endpoints the app uses; each returns Plaid's JSON as a dict, or raises PlaidError."""

    def __init__(self, settings: PlaidSettings) -> None:
        import plaid
        from plaid.api import plaid_api

        configuration = plaid.Configuration(
            host=settings.base_url,
            api_key={"clientId": settings.client_id, "secret": settings.secret,
                     "plaidVersion": "2020-09-14"},
        )
        self._api_client = plaid.ApiClient(configuration)
        self._api = plaid_api.PlaidApi(self._api_client)

    def close(self) -> None:
        self._api_client.close()

    def __enter__(self) -> PlaidClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _call(self, method: str, request: Any) -> dict[str, Any]:
        from plaid.exceptions import ApiException
        from urllib3.exceptions import HTTPError

        try:
            response = getattr(self._api, method)(
                request, _preload_content=False, _request_timeout=TIMEOUT_SECONDS)
        except ApiException as exc:
            raise PlaidError.from_response(int(exc.status or 0), exc.body) from exc
        except (OSError, HTTPError) as exc:  # connection refused, reset, timed out
            raise PlaidError(0, "API_ERROR", "CONNECTION_FAILED", str(exc)) from exc
        try:
            return _loads(response.data)
        except ValueError as exc:
            raise PlaidError(502, "API_ERROR", "INVALID_RESPONSE", str(exc)) from exc

    # ------------------------------------------------------------ Link

    def create_link_token(self, client_user_id: str, *, webhook: str | None = None,
                          access_token: str | None = None,
                          redirect_uri: str | None = None) -> str:
        """A link token for Plaid Link; with `access_token`, Link opens in update mode (the
        user signs in again to the same Item)."""
        from plaid.model.country_code import CountryCode
        from plaid.model.link_token_create_request import LinkTokenCreateRequest
        from plaid.model.link_token_create_request_user import LinkTokenCreateRequestUser
        from plaid.model.products import Products

        fields: dict[str, Any] = {"user": LinkTokenCreateRequestUser(client_user_id=client_user_id)}
        if access_token:
            fields["access_token"] = access_token
        else:
            fields["products"] = [Products("transactions")]
        if webhook:
            fields["webhook"] = webhook
        if redirect_uri:
            fields["redirect_uri"] = redirect_uri
        request = LinkTokenCreateRequest(client_name=CLIENT_NAME, language="en",
                                         country_codes=[CountryCode("US")], **fields)
        return str(self._call("link_token_create", request)["link_token"])

    def exchange_public_token(self, public_token: str) -> ExchangedItem:
        from plaid.model.item_public_token_exchange_request import (
            ItemPublicTokenExchangeRequest,
        )

        data = self._call("item_public_token_exchange",
                          ItemPublicTokenExchangeRequest(public_token=public_token))
        return ExchangedItem(str(data["access_token"]), str(data["item_id"]))

    def create_sandbox_public_token(self, institution_id: str,
                                    products: tuple[str, ...] = ("transactions",),
                                    webhook: str | None = None) -> str:
        """Sandbox only: a public token without Link, for tests and support."""
        from plaid.model.products import Products
        from plaid.model.sandbox_public_token_create_request import (
            SandboxPublicTokenCreateRequest,
        )
        from plaid.model.sandbox_public_token_create_request_options import (
            SandboxPublicTokenCreateRequestOptions,
        )

        extra: dict[str, Any] = {}
        if webhook:
            extra["options"] = SandboxPublicTokenCreateRequestOptions(webhook=webhook)
        request = SandboxPublicTokenCreateRequest(
            institution_id=institution_id, initial_products=[Products(p) for p in products],
            **extra)
        return str(self._call("sandbox_public_token_create", request)["public_token"])

    # ------------------------------------------------------------ Items and accounts

    def get_item(self, access_token: str) -> dict[str, Any]:
        """/item/get: `item` (institution_id, products, error, ...) and, with it, `status`."""
        from plaid.model.item_get_request import ItemGetRequest

        return self._call("item_get", ItemGetRequest(access_token=access_token))

    def get_institution_name(self, institution_id: str) -> str:
        """The institution's name, or "" when Plaid cannot say (it is only shown)."""
        from plaid.model.country_code import CountryCode
        from plaid.model.institutions_get_by_id_request import InstitutionsGetByIdRequest

        try:
            data = self._call("institutions_get_by_id", InstitutionsGetByIdRequest(
                institution_id=institution_id, country_codes=[CountryCode("US")]))
        except PlaidError:
            return ""
        return str((data.get("institution") or {}).get("name") or "")

    def remove_item(self, access_token: str) -> None:
        from plaid.model.item_remove_request import ItemRemoveRequest

        self._call("item_remove", ItemRemoveRequest(access_token=access_token))

    def get_accounts(self, access_token: str) -> list[dict[str, Any]]:
        from plaid.model.accounts_get_request import AccountsGetRequest

        data = self._call("accounts_get", AccountsGetRequest(access_token=access_token))
        return list(data.get("accounts") or [])

    # ------------------------------------------------------------ transactions

    def sync_transactions(self, access_token: str, cursor: str | None,
                          count: int = PAGE_SIZE) -> dict[str, Any]:
        """One /transactions/sync page: added, modified, removed, next_cursor, has_more."""
        from plaid.model.transactions_sync_request import TransactionsSyncRequest

        fields: dict[str, Any] = {"count": count}
        if cursor:
            fields["cursor"] = cursor
        return self._call("transactions_sync",
                          TransactionsSyncRequest(access_token=access_token, **fields))

    # ------------------------------------------------------------ webhooks

    def get_webhook_verification_key(self, key_id: str) -> dict[str, Any]:
        """The public JWK that signed a webhook's Plaid-Verification JWT."""
        from plaid.model.webhook_verification_key_get_request import (
            WebhookVerificationKeyGetRequest,
        )

        data = self._call("webhook_verification_key_get",
                          WebhookVerificationKeyGetRequest(key_id=key_id))
        return dict(data["key"])
