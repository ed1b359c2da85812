"""Reports pages: the GET form (full page, or the report region for HTMX; the weekly email's
`from`/`to` link), bad dates refused, the CSV download, PDF/XLSX files made by a job and
downloaded by members only, a viewer reading and downloading but not writing, private
accounts' reports kept to their member, the tax-category form, and the retention purge."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path

import pypdf
import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from finance_app.db import utcnow
from finance_app.extensions import db
from finance_app.models import Membership, ReportFile, TaxCategoryMapping, User
from finance_app.models.household import VIEWER
from finance_app.models.report import PENDING
from tests.factories import build_ledger, make_account, make_txn, make_user

MARCH = "/reports/?from=2026-03-01&to=2026-03-31"
HX = {"HX-Request": "true"}


@pytest.fixture()
def ledger(app, user_id):
    with app.app_context():
        built = build_ledger(user_id)
        db.session.commit()
        return {"food": built.food.id, "dining": built.dining.id, "salary": built.salary.id,
                "card": built.card.id, "household": built.household_id}


def _file_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(ReportFile))


def test_the_weekly_email_link_shows_that_period(client, ledger):
    response = client.get(MARCH)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<html" in html and 'id="report-form"' in html
    assert "1 Mar 2026 – 31 Mar 2026" in html
    for figure in ("$3,000.00", "$540.00", "$2,460.00"):
        assert figure in html
    assert 'value="2026-03-01"' in html and '<option value="custom" selected' in html


def test_htmx_gets_the_report_region_only(client, ledger):
    response = client.get(MARCH + "&kind=merchants", headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="report"') and "<html" not in html
    assert "Superstore" in html and 'id="section-summary"' not in html
    assert "HX-Request" in response.headers.get("Vary", "")


def test_filters_in_the_url(client, ledger):
    html = client.get(MARCH + f"&kind=summary&category={ledger['food']}").get_data(as_text=True)
    assert "$450.00" in html and "T Food (with subcategories)" in html


@pytest.mark.parametrize(("query", "message"), [
    ("from=2026-13-01&to=2026-03-31", "Enter the start date as YYYY-MM-DD"),
    ("from=2026-03-31&to=2026-03-01", "The end date is before the start date."),
    ("range=custom&from=2026-03-01", "Enter an end date."),
    ("from=1990-01-01&to=2026-03-01", "at most ten years"),
])
def test_bad_dates_get_a_clear_message_and_no_report(client, ledger, query, message):
    response = client.get(f"/reports/?{query}")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html and 'id="section-summary"' not in html
    assert client.get(f"/reports/export.csv?{query}").status_code == 422


def test_csv_download(client, ledger):
    response = client.get("/reports/export.csv?from=2026-03-01&to=2026-03-31&kind=summary")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert ["Income", "3000.00", "USD"] in rows and ["Spending", "540.00", "USD"] in rows


def _generate(client, file_format: str, **extra):
    data = {"from": "2026-03-01", "to": "2026-03-31", "range": "custom", "kind": "all",
            "format": file_format, **extra}
    return client.post_form("/reports/files", data, page="/reports/")


def test_generate_a_pdf_then_list_and_download_it(app, client, ledger):
    response = _generate(client, "pdf")
    assert response.status_code == 303
    status_url = response.headers["Location"]
    page = client.get(status_url).get_data(as_text=True)
    assert 'data-status="ready"' in page and "hx-trigger" not in page
    with app.app_context():
        row = db.session.scalars(select(ReportFile)).one()
        report_id, stored = row.id, Path(app.config["REPORT_DIR"]) / str(row.household_id)
        assert (stored / row.storage_key).is_file() and row.size > 1000
    listing = client.get("/reports/files").get_data(as_text=True)
    assert f"/reports/files/{report_id}/download" in listing and "KB" in listing
    download = client.get(f"/reports/files/{report_id}/download")
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    assert download.headers["Cache-Control"] == "no-store"
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(download.data)).pages)
    assert "$3,000.00" in text and "$540.00" in text and "Page 1 of" in text


def test_generate_an_xlsx_with_htmx_shows_the_finished_progress(app, client, ledger):
    token = client.csrf_token("/reports/")
    response = client.post("/reports/files", headers=HX, data={
        "csrf_token": token, "from": "2026-03-01", "to": "2026-03-31", "range": "custom",
        "kind": "summary", "format": "xlsx"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.lstrip().startswith('<div id="report-file"')
    assert 'data-status="ready"' in html
    with app.app_context():
        row = db.session.scalars(select(ReportFile)).one()
        report_id = row.id
    body = client.get(f"/reports/files/{report_id}/download").data
    sheet = load_workbook(io.BytesIO(body))["Summary"]
    values = {r[0].value: r[1].value for r in sheet.iter_rows() if r[0].value}
    assert values["Income"] == 3000 and values["Spending"] == 540


def test_a_pending_file_polls_its_progress(app, client, ledger, user_id):
    with app.app_context():
        from finance_app.models.job import QUEUED, Job

        job = Job(id="0" * 8 + "-0000-0000-0000-" + "0" * 12, user_id=user_id,
                  household_id=ledger["household"], name="report", function="x.y",
                  status=QUEUED)
        row = ReportFile(household_id=ledger["household"], created_by_id=user_id,
                         format="pdf", kind="all", title="Everything", status=PENDING,
                         period_start=utcnow().date(), period_end=utcnow().date(),
                         params={}, job_id=job.id)
        db.session.add_all([job, row])
        db.session.commit()
        report_id = row.id
    html = client.get(f"/reports/files/{report_id}", headers=HX).get_data(as_text=True)
    assert 'hx-trigger="load delay:500ms"' in html and "Waiting" not in html
    assert f'hx-get="/reports/files/{report_id}"' in html


def test_bad_generate_requests_change_nothing(app, client, ledger):
    assert _generate(client, "docx").status_code == 303
    assert _generate(client, "pdf", to="2026-02-01").status_code == 303
    no_token = client.post("/reports/files", data={"format": "pdf", "from": "2026-03-01",
                                                   "to": "2026-03-31", "range": "custom"})
    assert no_token.status_code in (303, 400)
    assert _file_count(app) == 0


def test_another_household_cannot_see_or_fetch_the_file(app, auth, client, ledger):
    _generate(client, "pdf")
    with app.app_context():
        report_id = db.session.scalars(select(ReportFile.id)).one()
    auth.logout()
    auth.create("mallory@example.com")
    auth.login("mallory@example.com")
    for path in (f"/reports/files/{report_id}", f"/reports/files/{report_id}/download"):
        assert client.get(path).status_code == 404
    token = client.csrf_token("/reports/")
    response = client.post(f"/reports/files/{report_id}/delete", data={"csrf_token": token})
    assert response.status_code == 404
    assert f"/reports/files/{report_id}" not in client.get("/reports/files").get_data(
        as_text=True)
    assert _file_count(app) == 1


def _join(app, household_id: int, email: str, role: str) -> None:
    with app.app_context():
        person = make_user(email)
        db.session.add(Membership(household_id=household_id, user_id=person.id, role=role))
        db.session.get(User, person.id).current_household_id = household_id
        db.session.commit()


def test_a_viewer_reads_and_downloads_but_cannot_write(app, auth, client, ledger):
    _generate(client, "pdf")
    with app.app_context():
        report_id = db.session.scalars(select(ReportFile.id)).one()
    _join(app, ledger["household"], "val@example.com", VIEWER)
    auth.logout()
    auth.login("val@example.com")
    page = client.get(MARCH).get_data(as_text=True)
    assert "$540.00" in page and 'id="generate-pdf"' not in page and "Delete" not in page
    assert client.get("/reports/export.csv?from=2026-03-01&to=2026-03-31").status_code == 200
    assert client.get(f"/reports/files/{report_id}/download").status_code == 200
    assert _generate(client, "pdf").status_code == 403
    token = client.csrf_token("/reports/")
    assert client.post(f"/reports/files/{report_id}/delete",
                       data={"csrf_token": token}).status_code == 403
    assert client.post("/reports/tax-categories", data={
        "csrf_token": token, f"tax-{ledger['food']}": "medical"}).status_code == 403
    assert _file_count(app) == 1


def test_a_report_on_a_private_account_stays_with_its_member(app, auth, client, ledger,
                                                            user_id):
    with app.app_context():
        private = make_account(user_id, "My secret", is_private=True)
        make_txn(private, "-99", utcnow().date().replace(day=1), "Secret shop")
        db.session.commit()
    client.post_form("/reports/files", {"range": "this_month", "kind": "summary",
                                        "format": "pdf"}, page="/reports/")
    _join(app, ledger["household"], "ed@example.com", "editor")
    auth.logout()
    auth.login("ed@example.com")
    with app.app_context():
        report_id = db.session.scalars(select(ReportFile.id)).one()
    assert client.get(f"/reports/files/{report_id}/download").status_code == 404
    assert "Secret shop" not in client.get("/reports/?kind=merchants").get_data(as_text=True)


def test_tax_categories_form(app, client, ledger):
    page = client.get("/reports/tax-categories").get_data(as_text=True)
    assert f'name="tax-{ledger["food"]}"' in page
    response = client.post_form("/reports/tax-categories", {
        f"tax-{ledger['food']}": "medical", f"tax-{ledger['salary']}": "business_income"},
        page="/reports/tax-categories")
    assert response.status_code == 303
    html = client.get(MARCH + "&kind=tax").get_data(as_text=True)
    assert "Medical and dental" in html and "$450.00" in html and "$3,000.00" in html
    bad = client.post_form("/reports/tax-categories", {f"tax-{ledger['food']}": "yachts"},
                           page="/reports/tax-categories")
    assert bad.status_code == 422 and "Choose a tax category" in bad.get_data(as_text=True)
    with app.app_context():
        saved = dict(db.session.execute(select(TaxCategoryMapping.category_id,
                                               TaxCategoryMapping.tax_category)).all())
    assert saved == {ledger["food"]: "medical", ledger["salary"]: "business_income"}


def test_retention_purge_deletes_old_files_and_keeps_new_ones(app, client, ledger):
    _generate(client, "pdf")
    _generate(client, "xlsx")
    with app.app_context():
        old, _new = db.session.scalars(select(ReportFile).order_by(ReportFile.id)).all()
        old.created_at = utcnow() - timedelta(days=31)
        old_path = Path(app.config["REPORT_DIR"]) / str(old.household_id) / old.storage_key
        db.session.commit()
        assert old_path.is_file()
        from finance_app.tasks.periodic import SCHEDULE
        from finance_app.tasks.reports import purge_expired_report_files

        assert SCHEDULE["purge_expired_report_files"][0] == (
            "finance_app.tasks.reports.purge_expired_report_files")
        assert app.config["REPORT_RETENTION_DAYS"] == 30
        assert purge_expired_report_files() == {"deleted": 1, "files": 1}
        assert not old_path.exists()
        assert [r.format for r in db.session.scalars(select(ReportFile))] == ["xlsx"]


def test_an_empty_household_sees_a_way_in(client, user_id):
    html = client.get("/reports/").get_data(as_text=True)
    assert "No accounts yet" in html and "$0.00" in html


def test_the_job_runs_again_harmlessly_and_a_failure_marks_the_file(app, client, ledger,
                                                                    monkeypatch):
    from finance_app.tasks import reports as report_tasks

    _generate(client, "pdf")
    with app.app_context():
        ready = db.session.scalars(select(ReportFile)).one()
        assert report_tasks.generate_report_file(ready.id) == {"skipped": True}

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(report_tasks, "export_report", broken)
    response = _generate(client, "xlsx")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'data-status="failed"' in page and "could not be generated" in page
    with app.app_context():
        statuses = sorted(r.status for r in db.session.scalars(select(ReportFile)))
    assert statuses == ["failed", "ready"]
