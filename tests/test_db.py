"""The exact decimal column types: round trips and sums stay exact on SQLite and PostgreSQL."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from finance_app.db import Money, Rate
from tests.conftest import create_pg_database, drop_pg_database


def round_trip(engine: sa.Engine) -> tuple[list[Decimal], Decimal, Decimal]:
    metadata = sa.MetaData()
    table = sa.Table("t", metadata, sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("amount", Money()), sa.Column("rate", Rate()))
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(table.insert(), [
            {"amount": Decimal("0.10"), "rate": Decimal("1.0834567891")},
            {"amount": Decimal("0.20"), "rate": Decimal("0.0000000001")},
            {"amount": Decimal("-1234567890.1234"), "rate": Decimal("156.25")},
        ])
        amounts = list(conn.scalars(sa.select(table.c.amount).order_by(table.c.id)))
        total = conn.scalar(sa.select(sa.func.sum(table.c.amount)).where(table.c.id < 3))
        rate = conn.scalar(sa.select(table.c.rate).where(table.c.id == 1))
    engine.dispose()
    return amounts, total, rate


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_money_and_rates_are_exact(backend, tmp_path):
    if backend == "sqlite":
        engine = sa.create_engine(f"sqlite:///{tmp_path / 'exact.sqlite3'}")
        amounts, total, rate = round_trip(engine)
    else:
        name = f"finance_exact_{tmp_path.name[-8:].lower()}"
        engine = sa.create_engine(create_pg_database(name))
        try:
            amounts, total, rate = round_trip(engine)
        finally:
            drop_pg_database(name)
    assert amounts == [Decimal("0.10"), Decimal("0.20"), Decimal("-1234567890.1234")]
    assert all(isinstance(a, Decimal) for a in amounts)
    assert total == Decimal("0.30")
    assert rate == Decimal("1.0834567891")


def test_floats_are_refused():
    with pytest.raises(TypeError):
        Money().process_bind_param(0.1, sa.create_engine("sqlite://").dialect)
