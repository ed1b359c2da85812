"""Investments pages: the trades and prices uploads (an oversell refused with its row, nothing
written), holdings with price age and weight, a holding's lots, realized gains with the Form
8949 CSV (formula-safe), value over time, returns, the lot method, HTMX fragments, viewers."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from finance_app.extensions import db
from finance_app.models import Account, Membership, Security, Trade
from finance_app.models.household import VIEWER
from finance_app.models.investment import InvestmentSettings
from tests.factories import household_of, make_account, make_user

TODAY = date.today()
D1 = (TODAY - timedelta(days=400)).isoformat()
D2 = (TODAY - timedelta(days=200)).isoformat()
D3 = (TODAY - timedelta(days=10)).isoformat()
TRADES = (f"date,symbol,action,quantity,price,fees\n{D1},VTI,buy,10,100,0\n"
          f"{D2},VTI,buy,10,120,0\n{D2},BND,buy,20,50,0\n{D3},VTI,sell,12,130,0\n")
PRICES = f"date,symbol,close\n{D3},VTI,130\n{(TODAY - timedelta(days=2)).isoformat()},BND,55\n"


def _brokerage(user_id: int, name: str = "Brokerage") -> int:
    return make_account(user_id, name, type="investment").id


def _upload(client, url, text, **data):
    return client.post_form(url, {"file": (io.BytesIO(text.encode()), "file.csv"), **data},
                            page="/investments/import", content_type="multipart/form-data")


def _seed(app, client, user_id, name="Brokerage"):
    with app.app_context():
        account_id = _brokerage(user_id, name)
        db.session.commit()
    assert _upload(client, "/investments/import/trades", TRADES,
                   account=str(account_id)).status_code == 303
    assert _upload(client, "/investments/import/prices", PRICES).status_code == 303
    return account_id


def test_upload_then_holdings(app, client, user_id):
    account_id = _seed(app, client, user_id)
    page = client.get("/investments/").get_data(as_text=True)
    assert 'data-symbol="VTI"' in page and 'data-symbol="BND"' in page
    # VTI: 8 shares left at 130 = 1040 (cost 8 x 120 = 960); BND 20 x 55 = 1100 (cost 1000)
    assert "$1,040.00" in page and "$960.00" in page and "$1,100.00" in page
    assert "$2,140.00" in page  # the value of both
    assert "10 days old" in page and "2 days old" in page
    assert "51.40%" in page and "48.60%" in page  # weights
    assert 'id="allocation-kind-table"' in page and 'id="allocation-symbol-table"' in page
    # One account chosen: its lot method form shows
    one = client.get(f"/investments/?account={account_id}").get_data(as_text=True)
    assert 'id="lot-method-form"' in one


def test_the_same_file_again_adds_nothing(app, client, user_id):
    account_id = _seed(app, client, user_id)
    response = _upload(client, "/investments/import/trades", TRADES, account=str(account_id))
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Imported 0 trades into “Brokerage” (4 were already there)." in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Trade)) == 4


def test_an_oversell_is_refused_with_its_row_and_nothing_written(app, client, user_id):
    with app.app_context():
        account_id = _brokerage(user_id)
        db.session.commit()
    response = _upload(client, "/investments/import/trades",
                       TRADES.replace("sell,12", "sell,21"), account=str(account_id))
    assert response.status_code == 422
    assert "Row 5: sells 21 VTI but only 20 are held; nothing was imported." in \
        response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Trade)) == 0


def test_a_new_account_from_the_upload(app, client, user_id):
    response = _upload(client, "/investments/import/trades", TRADES, account="new",
                       new_account="Roth IRA")
    assert response.status_code == 303
    with app.app_context():
        account = db.session.scalars(select(Account).where(Account.name == "Roth IRA")).one()
        assert account.type == "investment"
        assert db.session.scalar(select(func.count()).select_from(Trade)) == 4


def test_a_holdings_lots_and_what_was_sold(app, client, user_id):
    _seed(app, client, user_id)
    with app.app_context():
        vti = db.session.scalars(select(Security).where(Security.symbol == "VTI")).one().id
    page = client.get(f"/investments/securities/{vti}").get_data(as_text=True)
    assert 'id="open-lots"' in page and 'id="closed-lots"' in page
    # FIFO: the sale closed the first lot (10 @ 100, long term) and 2 of the second (short)
    assert "$1,300.00" in page and "$1,000.00" in page and "Long" in page and "Short" in page


def test_realized_gains_and_the_form_8949_csv(app, client, user_id):
    _seed(app, client, user_id, name="=cmd|' /C calc'!A0")
    year = date.fromisoformat(D3).year
    page = client.get(f"/investments/gains?year={year}").get_data(as_text=True)
    # 10 @ 100 -> 1300 (long, +300) and 2 @ 120 -> 260 (short, +20)
    assert "$1,560.00" in page and "+$300.00" in page and "+$20.00" in page
    lifo = client.get(f"/investments/gains?year={year}&method=lifo").get_data(as_text=True)
    # LIFO: 10 @ 120 (1300 - 1200, short) and 2 @ 100 (260 - 200, long)
    assert "+$100.00" in lifo and "+$60.00" in lifo and "+$300.00" not in lifo
    response = client.get(f"/investments/gains.csv?year={year}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][:8] == ["(a) Description of property", "(b) Date acquired",
                           "(c) Date sold or disposed of", "(d) Proceeds (sales price)",
                           "(e) Cost or other basis", "(f) Code(s) from instructions",
                           "(g) Amount of adjustment", "(h) Gain or (loss)"]
    short, long = rows[1], rows[2]
    assert short[:8] == ["2 sh. VTI", D2, D3, "260.00", "240.00", "", "", "20.00"]
    assert long[:8] == ["10 sh. VTI", D1, D3, "1300.00", "1000.00", "", "", "300.00"]
    assert long[8] == "Long-term"
    assert long[9] == "'=cmd|' /C calc'!A0"  # a formula is neutralized


def test_value_over_time_and_performance(app, client, user_id):
    _seed(app, client, user_id)
    history = client.get("/investments/history").get_data(as_text=True)
    assert 'data-chart="investment-value"' in history and 'id="history-table"' in history
    assert "$2,140.00" in history  # today's point
    performance = client.get("/investments/performance?benchmark=BND")
    page = performance.get_data(as_text=True)
    assert 'id="returns-table"' in page
    assert 'data-period="1M"' in page and 'data-period="ALL"' in page
    assert '<option value="BND" selected>' in page
    assert 'data-benchmark-xirr' in page


def test_htmx_asks_for_a_block(app, client, user_id):
    _seed(app, client, user_id)
    fragment = client.get("/investments/?account=", headers={"HX-Request": "true"})
    html = fragment.get_data(as_text=True)
    assert html.lstrip().startswith('<section id="holdings"') and "<html" not in html
    gains = client.get("/investments/gains", headers={"HX-Request": "true"}).get_data(
        as_text=True)
    assert gains.lstrip().startswith('<section id="gains"')


def test_the_lot_method_of_an_account(app, client, user_id):
    account_id = _seed(app, client, user_id)
    response = client.post_form(f"/investments/accounts/{account_id}/method",
                                {"method": "hifo"}, page="/investments/import")
    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(InvestmentSettings.lot_method)) == "hifo"
    year = date.fromisoformat(D3).year
    page = client.get(f"/investments/gains?year={year}").get_data(as_text=True)
    assert "+$100.00" in page and "+$60.00" in page  # HIFO: 10 @ 120 first, like LIFO here
    bad = client.post_form(f"/investments/accounts/{account_id}/method", {"method": "x"},
                           page="/investments/import")
    assert bad.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(InvestmentSettings.lot_method)) == "hifo"


def test_empty_pages_say_what_to_do(client, user_id):
    assert "Import a trades file" in client.get("/investments/").get_data(as_text=True)
    assert 'id="returns-empty"' in client.get("/investments/performance").get_data(
        as_text=True)
    assert 'id="history-empty"' in client.get("/investments/history").get_data(as_text=True)


def test_a_viewer_reads_but_cannot_import(app, auth, client, user_id):
    _seed(app, client, user_id)
    with app.app_context():
        viewer = make_user("val@example.com")
        db.session.add(Membership(household_id=household_of(user_id), user_id=viewer.id,
                                  role=VIEWER))
        viewer.current_household_id = household_of(user_id)
        db.session.commit()
    auth.logout()
    auth.login("val@example.com")
    page = client.get("/investments/").get_data(as_text=True)
    assert 'data-symbol="VTI"' in page and "/investments/import" not in page
    refused = _upload(client, "/investments/import/prices", PRICES)
    assert refused.status_code == 403
    with app.app_context():
        assert Decimal(db.session.scalar(select(func.count()).select_from(Trade))) == 4


def test_a_sale_by_hand_closes_the_lots_chosen(app, client, user_id):
    account_id = _seed(app, client, user_id)
    with app.app_context():
        vti = db.session.scalars(select(Security).where(Security.symbol == "VTI")).one().id
        second = db.session.scalars(select(Trade.id).where(Trade.action == "buy", Trade.day ==
                                                           date.fromisoformat(D2),
                                                           Trade.security_id == vti)).one()
    sale = {"account": str(account_id), "action": "sell", "day": TODAY.isoformat(),
            "quantity": "3", "price": "140", "fees": "0", f"lot_{second}": "3"}
    page = f"/investments/securities/{vti}"
    refused = client.post_form(f"{page}/trades", sale, page=page)
    assert refused.status_code == 422  # FIFO account: no lots to choose
    assert "lot method set to specific lots" in refused.get_data(as_text=True)
    client.post_form(f"/investments/accounts/{account_id}/method", {"method": "specific"},
                     page=page)
    shown = client.get(page).get_data(as_text=True)
    assert f'name="lot_{second}"' in shown and 'form="trade-form"' in shown
    too_many = client.post_form(f"{page}/trades", {**sale, f"lot_{second}": "9"}, page=page)
    assert too_many.status_code == 422
    done = client.post_form(f"{page}/trades", sale, page=page)
    assert done.status_code == 303
    with app.app_context():
        recorded = db.session.scalars(select(Trade).where(Trade.source == "manual")).one()
        assert recorded.chosen_lots == [{"lot": second, "quantity": "3"}]
    # The 3 shares came from the 120 lot: 420 - 360 = +60 (short term)
    gains = client.get(f"/investments/gains?year={TODAY.year}").get_data(as_text=True)
    assert "+$60.00" in gains
    bad = client.post_form(f"{page}/trades", {**sale, "quantity": "x"}, page=page)
    assert bad.status_code == 422 and "Enter a number such as 10." in bad.get_data(as_text=True)


def test_removing_a_trade_unless_a_later_sale_needs_it(app, client, user_id):
    _seed(app, client, user_id)
    with app.app_context():
        vti = db.session.scalars(select(Security).where(Security.symbol == "VTI")).one().id
        first_buy, sale = (db.session.scalars(select(Trade.id).where(
            Trade.security_id == vti, Trade.action == action)).first()
            for action in ("buy", "sell"))
    page = f"/investments/securities/{vti}"
    shown = client.get(page).get_data(as_text=True)
    assert f'data-trade="{first_buy}"' in shown and f'data-trade="{sale}"' in shown
    # Without the first buy the sale of 12 would find 10 shares: refused, nothing removed.
    refused = client.post_form(f"/investments/trades/{first_buy}/delete", page=page)
    assert refused.status_code == 303
    assert "later sale" in client.get(page).get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Trade, first_buy) is not None
    assert client.post_form(f"/investments/trades/{sale}/delete", page=page).status_code == 303
    with app.app_context():
        assert db.session.get(Trade, sale) is None
    assert client.post_form(f"/investments/trades/{first_buy}/delete",
                            page=page).status_code == 303
    with app.app_context():
        assert db.session.get(Trade, first_buy) is None


def test_a_securitys_name_and_kind_feed_the_allocation(app, client, user_id):
    _seed(app, client, user_id)
    with app.app_context():
        bnd = db.session.scalars(select(Security).where(Security.symbol == "BND")).one().id
    page = f"/investments/securities/{bnd}"
    assert client.post_form(f"{page}/edit", {"name": "Total Bond", "kind": "bond"},
                            page=page).status_code == 303
    holdings = client.get("/investments/").get_data(as_text=True)
    table = holdings[holdings.index('id="allocation-kind-table"'):]
    assert "Bond" in table and "Stock" in table
    assert client.post_form(f"{page}/edit", {"name": "x", "kind": "yacht"},
                            page=page).status_code == 303
    with app.app_context():
        security = db.session.get(Security, bnd)
        assert (security.name, security.kind) == ("Total Bond", "bond")


def test_accounts_in_two_currencies_are_said_not_to_be_converted(app, client, user_id):
    _seed(app, client, user_id)
    assert 'id="holdings-currencies"' not in client.get("/investments/").get_data(as_text=True)
    with app.app_context():
        euro = make_account(user_id, "Depot", currency="EUR", type="investment").id
        db.session.commit()
    _upload(client, "/investments/import/trades", TRADES, account=str(euro))
    assert 'id="holdings-currencies"' in client.get("/investments/").get_data(as_text=True)
    assert 'id="holdings-currencies"' not in client.get(
        f"/investments/?account={euro}").get_data(as_text=True)
