"""TWR and XIRR against known values (services/investments/performance.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from finance_app.services.investments.performance import (
    Flow,
    mirrored_value,
    money_weighted_return,
    months_before,
    period_start,
    time_weighted_return,
    xirr,
)

D = Decimal


def test_xirr_of_the_spreadsheet_example():
    # The example of the XIRR function's documentation: 37.3362535 %.
    flows = [Flow(date(2008, 1, 1), D(-10000)), Flow(date(2008, 3, 1), D(2750)),
             Flow(date(2008, 10, 30), D(4250)), Flow(date(2009, 2, 15), D(3250)),
             Flow(date(2009, 4, 1), D(2750))]
    assert xirr(flows).quantize(D("0.0000001")) == D("0.3733625")


def test_xirr_of_ten_percent_over_a_year_and_a_loss():
    assert xirr([Flow(date(2023, 1, 1), D(-1000)),
                 Flow(date(2024, 1, 1), D(1100))]).quantize(D("0.000001")) == D("0.100000")
    assert xirr([Flow(date(2023, 1, 1), D(-1000)),
                 Flow(date(2024, 1, 1), D(800))]).quantize(D("0.000001")) == D("-0.200000")
    assert xirr([Flow(date(2023, 1, 1), D(-1000))]) is None


VALUES = {date(2023, 12, 31): D(0), date(2024, 1, 1): D(1000), date(2024, 1, 31): D(1100),
          date(2024, 2, 1): D(2200), date(2024, 2, 29): D(1980)}


def value_on(day: date) -> Decimal:
    known = [d for d in VALUES if d <= day]
    return VALUES[max(known)] if known else D(0)


FLOWS = [Flow(date(2024, 1, 1), D(1000)), Flow(date(2024, 2, 1), D(1100))]


def test_twr_chains_the_stretches_between_flows():
    # +10 % in January, then 2200 -> 1980 (-10 %): 1.1 x 0.9 - 1 = -1 %, however much was added.
    twr = time_weighted_return(date(2023, 12, 31), date(2024, 2, 29), value_on, FLOWS)
    assert twr == D("-0.01")
    # From the end of January: only the February fall.
    assert time_weighted_return(date(2024, 1, 31), date(2024, 2, 29), value_on,
                                FLOWS) == D("-0.1")
    assert time_weighted_return(date(2023, 12, 30), date(2023, 12, 31), value_on, FLOWS) is None


def test_money_weighted_return_weighs_the_money_in_the_loss():
    rate = money_weighted_return(date(2023, 12, 31), date(2024, 2, 29), value_on, FLOWS)
    # -1000 on 1 Jan, -1100 on 1 Feb, +1980 on 29 Feb: NPV at the rate is zero ...
    years = [D(0), D(31) / D(365), D(59) / D(365)]
    npv = (D(-1000) + D(-1100) / (1 + rate) ** years[1] + D(1980) / (1 + rate) ** years[2])
    assert abs(npv) < D("0.0001")
    # ... and the loss is far worse annualized than the -1 % TWR
    assert rate < D("-0.3")


@pytest.mark.parametrize(("period", "start"), [
    ("1M", date(2025, 2, 28)), ("3M", date(2024, 12, 31)), ("YTD", date(2024, 12, 31)),
    ("1Y", date(2024, 3, 31)), ("3Y", date(2022, 3, 31)), ("ALL", date(2019, 12, 31)),
])
def test_period_starts(period, start):
    assert period_start(period, date(2025, 3, 31), date(2020, 1, 1)) == start


def test_a_period_never_starts_before_the_first_trade():
    assert period_start("3Y", date(2025, 3, 31), date(2024, 6, 1)) == date(2024, 5, 31)
    assert months_before(date(2024, 3, 31), 1) == date(2024, 2, 29)


def test_the_same_money_in_a_benchmark():
    closes = {date(2024, 1, 1): D(50), date(2024, 2, 1): D(55), date(2024, 3, 1): D("60.5")}

    def close_on(day):
        known = [d for d in closes if d <= day]
        return closes[max(known)] if known else None

    flows = [Flow(date(2024, 2, 1), D(1100))]
    mirror = mirrored_value(date(2024, 1, 1), D(1000), flows, close_on)
    # 20 shares at 50, then 20 more at 55: 40 x 60.50 on 1 March
    assert mirror(date(2024, 1, 1)) == D(1000)
    assert mirror(date(2024, 3, 1)) == D("2420.0")
    assert mirrored_value(date(2023, 12, 1), D(1000), flows, close_on) is None
    rate = money_weighted_return(date(2024, 1, 1), date(2024, 3, 1), mirror, flows)
    assert rate > 0


def test_a_mirror_from_before_the_first_trade_needs_no_start_close():
    closes = {date(2024, 1, 1): D(50), date(2024, 3, 1): D(60)}

    def close_on(day):
        known = [d for d in closes if d <= day]
        return closes[max(known)] if known else None

    mirror = mirrored_value(date(2023, 12, 31), D(0), [Flow(date(2024, 1, 1), D(1000))],
                            close_on)
    assert mirror(date(2023, 12, 31)) == 0
    assert mirror(date(2024, 3, 1)) == D(1200)
