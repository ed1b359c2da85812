"""App-wide request hooks that belong to no single blueprint, registered by the factory."""

from __future__ import annotations

from flask import Flask, Response

from finance_app.tasks.categorization import retrain_after_commit


def register(app: Flask) -> None:
    @app.after_request
    def retrain_changed_models(response: Response) -> Response:
        # Any page where a person set a category (transactions, review, bulk edits, rules)
        # committed labels; their households' models retrain shortly after (debounced job).
        retrain_after_commit()
        return response
