"""SQLAlchemy declarative base, naming conventions and the exact decimal column types."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, TypeAlias

from sqlalchemy import BigInteger, MetaData, Numeric
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Session, scoped_session
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# What services and jobs take: a plain Session (jobs, CLI, tests) or the app's request-scoped
# `db.session`, which proxies the same methods.
DbSession: TypeAlias = Session | scoped_session[Any]


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class ExactDecimal(TypeDecorator[Decimal]):
    """An exact decimal: NUMERIC(precision, scale) where the database has it, scaled integers on
    SQLite.

    SQLite's NUMERIC affinity silently stores floats, so there we store integers in units of
    10**-scale, which keeps SUM() exact; values always come back as Decimal.
    """

    impl = Numeric
    cache_ok = True

    def __init__(self, precision: int = 19, scale: int = 4) -> None:
        super().__init__(precision=precision, scale=scale)
        self.precision, self.scale = precision, scale
        self._units = Decimal(10) ** scale
        self._quantum = Decimal(1).scaleb(-scale)

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Numeric(self.precision, self.scale, asdecimal=True))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if isinstance(value, float):
            raise TypeError("exact decimals must be Decimal, not float")
        value = Decimal(value)
        if dialect.name == "sqlite":
            return int((value * self._units).to_integral_value())
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if dialect.name == "sqlite":
            return (Decimal(int(value)) / self._units).quantize(self._quantum)
        return Decimal(value)

    @property
    def python_type(self) -> type:
        return Decimal


class Money(ExactDecimal):
    """Money: exact to 1/10,000 of a unit (rates and splits keep precision before rounding)."""

    cache_ok = True

    def __init__(self, precision: int = 19, scale: int = 4) -> None:
        super().__init__(precision, scale)


class Rate(ExactDecimal):
    """An exchange rate, exact to 10 decimal places."""

    cache_ok = True

    def __init__(self, precision: int = 20, scale: int = 10) -> None:
        super().__init__(precision, scale)


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
