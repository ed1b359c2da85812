"""`flask investments import-trades | import-prices | gains`: the lines they print, what they
write, and the refusals."""

from __future__ import annotations

from sqlalchemy import func, select

from finance_app.extensions import db
from finance_app.models import Account, SecurityPrice, Trade
from tests.factories import make_user

TRADES = """date,symbol,action,quantity,price,fees
2023-01-10,AAA,buy,10,100,0
2023-03-10,AAA,buy,10,120,0
2023-06-10,AAA,buy,10,90,0
2024-02-10,AAA,sell,15,130,0
"""


def _run(app, *args: str):
    return app.test_cli_runner().invoke(args=["investments", *args])


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_import_trades_then_gains_by_each_method(app, tmp_path):
    with app.app_context():
        make_user("investor@example.com")
    path = _write(tmp_path, "trades.csv", TRADES)
    dry = _run(app, "import-trades", path, "--user", "investor@example.com",
               "--account", "Brokerage", "--dry-run")
    assert dry.stdout.splitlines() == ["Dry run: nothing was written.",
                                       "rows=4 added=4 duplicates=0"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Account).where(
            Account.name == "Brokerage")) == 0
    result = _run(app, "import-trades", path, "--user", "investor@example.com",
                  "--account", "Brokerage")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["Created the investment account 'Brokerage'.",
                                          "rows=4 added=4 duplicates=0"]
    again = _run(app, "import-trades", path, "--user", "investor@example.com",
                 "--account", "Brokerage")
    assert again.stdout.splitlines() == ["rows=4 added=0 duplicates=4"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Trade)) == 4
        assert db.session.scalar(select(Account.type).where(Account.name == "Brokerage")) \
            == "investment"

    expected = {
        None: "proceeds=1950.00 cost=1600.00 realized=350.00 short_term=50.00 long_term=300.00",
        "lifo": "proceeds=1950.00 cost=1500.00 realized=450.00 short_term=450.00 "
                "long_term=0.00",
        "hifo": "proceeds=1950.00 cost=1700.00 realized=250.00 short_term=100.00 "
                "long_term=150.00",
        "average": "proceeds=1950.00 cost=1550.00 realized=400.00 short_term=133.33 "
                   "long_term=266.67",
    }
    for method, line in expected.items():
        args = ["gains", "--user", "investor@example.com", "--year", "2024"]
        result = _run(app, *args, *(["--method", method] if method else []))
        assert result.exit_code == 0, result.output
        lines = result.stdout.splitlines()
        assert lines[-1] == line
        assert lines[0].startswith("2024-02-10 AAA quantity=")
    empty = _run(app, "gains", "--user", "investor@example.com", "--year", "2023")
    assert empty.stdout.splitlines() == [
        "proceeds=0.00 cost=0.00 realized=0.00 short_term=0.00 long_term=0.00"]


def test_an_oversell_is_refused_with_its_row(app, tmp_path):
    with app.app_context():
        make_user("investor@example.com")
    path = _write(tmp_path, "bad.csv", TRADES.replace("sell,15", "sell,31"))
    result = _run(app, "import-trades", path, "--user", "investor@example.com",
                  "--account", "Brokerage")
    assert result.exit_code == 1
    assert "Row 5: sells 31 AAA but only 30 are held" in result.stderr
    assert result.stdout == ""  # not even the account it would have created
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Trade)) == 0
        assert db.session.scalar(select(func.count()).select_from(Account).where(
            Account.name == "Brokerage")) == 0


def test_import_prices_for_every_household_holding_the_symbol(app, tmp_path):
    with app.app_context():
        make_user("investor@example.com")
    _run(app, "import-trades", _write(tmp_path, "t.csv", TRADES), "--user",
         "investor@example.com", "--account", "Brokerage")
    prices = _write(tmp_path, "p.csv", "date,symbol,close\n2024-03-01,AAA,140\n"
                                       "2024-03-01,ZZZ,5\n")
    result = _run(app, "import-prices", prices)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "rows=2 added=1 updated=0"
    again = _run(app, "import-prices", prices, "--user", "investor@example.com")
    assert again.stdout.splitlines()[-1] == "rows=2 added=1 updated=1"  # ZZZ: now theirs too
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SecurityPrice)) == 2


def test_unknown_user(app):
    result = _run(app, "gains", "--user", "nobody@example.com", "--year", "2024")
    assert result.exit_code == 1
    assert "no user with the email nobody@example.com" in result.stderr
