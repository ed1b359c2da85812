"""The import wizard in chromium: upload, live preview, confirm, progress bar, summary, undo."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest
from redis import Redis
from rq import SimpleWorker
from rq.timeouts import TimerDeathPenalty

from finance_app.extensions import db
from finance_app.models.ledger import Account
from finance_app.queues import ALL_QUEUES
from tests.factories import household_of

pytestmark = pytest.mark.browser
SAMPLE = Path(__file__).resolve().parents[1] / "data" / "bank-exports" / "chase_checking.csv"


@pytest.fixture()
def app_config(app_config, redis_url):
    """Jobs go through Redis, so the page shows a real queued job until a worker takes it."""
    return {**app_config, "REDIS_URL": redis_url}


class ThreadWorker(SimpleWorker):
    """An RQ worker that can run in a thread: no signal handlers, timer-based timeouts."""

    death_penalty_class = TimerDeathPenalty

    def _install_signal_handlers(self) -> None:
        return None


def run_worker_once(app, redis_url: str) -> threading.Thread:
    def work() -> None:
        connection = Redis.from_url(redis_url)
        with app.app_context():
            ThreadWorker(list(ALL_QUEUES), connection=connection).work(
                burst=True, with_scheduler=False)
        connection.close()

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    return thread


def test_upload_preview_confirm_progress_summary_and_undo(signed_in_page, live_server, redis_url):
    page = signed_in_page
    with live_server.app.app_context():
        db.session.add(Account(household_id=household_of(page.user_id), owner_id=page.user_id,
                               name="Everyday", currency="USD"))
        db.session.commit()

    page.goto("/import/")
    page.get_by_label("Bank export").set_input_files(str(SAMPLE))
    page.get_by_label("Import into").select_option(label="Everyday")
    # The new-account fields only show when "Create a new account" is chosen.
    assert not page.locator("#new-account-fields").is_visible()
    page.get_by_label("Import into").select_option(value="new")
    assert page.locator("#new-account-fields").is_visible()
    page.get_by_label("Import into").select_option(label="Everyday")
    page.get_by_role("button", name="Upload and preview").click()

    page.wait_for_url(re.compile(r".*/import/\d+/preview$"))
    first_amount = page.locator("#preview-rows tbody tr").first.locator("td").nth(3)
    before = first_amount.inner_text()
    assert "242" in page.locator("#preview-counts").inner_text()
    assert page.get_by_text("Already imported").count() == 0

    # Changing the sign re-renders the preview in place (HTMX), without a page load.
    url = page.url
    page.get_by_label("Sign").select_option("1")
    page.wait_for_function(
        "b => document.querySelector('#preview-rows tbody tr td:nth-child(4)').innerText !== b",
        arg=before)
    flipped = first_amount.inner_text()
    assert flipped.lstrip("+-") == before.lstrip("+-") and flipped[0] != before[0]
    assert page.url == url
    page.get_by_label("Sign").select_option("0")
    page.wait_for_function(
        "b => document.querySelector('#preview-rows tbody tr td:nth-child(4)').innerText === b",
        arg=before)

    page.get_by_role("button", name=re.compile(r"Import 242 transactions")).click()
    page.wait_for_url(re.compile(r".*/import/\d+$"))
    progress = page.locator("#import-progress")
    progress.wait_for()
    assert progress.get_attribute("max") == "100"
    assert page.get_by_text("Waiting to start…").is_visible()

    worker = run_worker_once(live_server.app, redis_url)
    page.locator("#import-summary").wait_for(timeout=30_000)  # the bar polled until done
    worker.join(timeout=30)
    assert page.locator("#summary-imported").inner_text() == "242"
    assert page.locator("#summary-duplicates").inner_text() == "0"
    assert page.locator("#import-progress").count() == 0

    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Undo this import").click()
    page.get_by_text("Import undone: 242 transactions removed.").wait_for()
    page.goto("/import/")
    assert page.locator("#import-history").get_by_text("Undone").count() == 1
