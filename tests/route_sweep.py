"""The isolation sweep's one loop: every route of the URL map whose arguments are all among
`values`, opened with each of its methods (a valid CSRF token sent, so a refusal is the app's
own), and the answers that were not 404."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from flask import Flask, url_for


def sweep_foreign_ids(app: Flask, client: Any, values: Mapping[str, Any],
                      arguments: Iterable[str], token: str) -> tuple[int, list[str]]:
    """(requests made, "METHOD path -> status" for each that did not answer 404)."""
    allowed = set(arguments)
    checked, failures = 0, []
    for rule in app.url_map.iter_rules():
        if not rule.arguments or not rule.arguments <= allowed:
            continue
        with app.test_request_context():
            path = url_for(rule.endpoint, **{a: values[a] for a in rule.arguments})
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            response = client.open(path, method=method, data={"csrf_token": token},
                                   headers={"X-CSRFToken": token})
            checked += 1
            if response.status_code != 404:
                failures.append(f"{method} {path} -> {response.status_code}")
    return checked, failures
