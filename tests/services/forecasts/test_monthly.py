"""The monthly forecast on histories with known answers."""

from __future__ import annotations

from decimal import Decimal

from finance_app.services.forecasts.backtest import backtest
from finance_app.services.forecasts.monthly import estimate, point_forecast, seasonal_term

D = Decimal


def months(*values: float | str) -> list[Decimal]:
    return [D(str(v)) for v in values]


def test_a_steady_bill_is_forecast_exactly_with_no_band():
    history = months(*[89.99] * 14)
    result = estimate(history)
    assert (result.amount, result.low, result.high, result.seasonal) == (
        D("89.99"), D("89.99"), D("89.99"), D("0.00"))


def test_one_spike_does_not_move_the_forecast_where_naive_would_repeat_it():
    history = months(*[100] * 11, 900)
    assert point_forecast(history)[0] == D("100")
    assert estimate(history).high >= D("100")


def test_the_median_of_the_last_six_months_is_the_level():
    history = months(50, 50, 50, 50, 50, 50, 120, 80, 100, 90, 110, 95)
    assert point_forecast(history)[0] == D("97.5")  # median of 120, 80, 100, 90, 110, 95


def winter_heating(years: int, ending_month: int = 12) -> list[Decimal]:
    """Jan-Dec years of a heating bill: 400 in January, about 100 otherwise."""
    noise = [0, 5, -5, 3, -3, 2, -2, 4, -4, 1, -1]
    values = []
    for _ in range(years):
        values.append(D(400))
        values.extend(D(100 + n) for n in noise)
    return values[:len(values) - (12 - ending_month)]


def test_a_season_seen_every_year_moves_the_forecast_of_that_month():
    history = winter_heating(3)  # ends in December: the next month is January
    amount, season = point_forecast(history)
    assert season > D(250) and amount > D(350)
    # Two months ahead is February: no season there.
    assert point_forecast(history, ahead=2)[1] == 0
    # From November, January is two months ahead.
    assert point_forecast(winter_heating(3, ending_month=11), ahead=2)[1] > D(250)


def test_a_deviation_that_changes_side_is_noise_not_a_season():
    history = winter_heating(3)
    history[12] = D(20)  # the second January was low, not high
    assert seasonal_term(history) == 0


def test_a_single_year_is_not_enough_for_a_season():
    assert seasonal_term(winter_heating(1) + months(100)) == 0


def test_no_history_forecasts_nothing():
    assert point_forecast([]) == (D(0), D(0))
    assert estimate([]).amount == D("0.00")


def test_the_backtest_scores_the_model_naive_and_the_three_month_average():
    steady = months(*[100] * 15)
    result = backtest({"rent": steady}, first_origin=12)
    assert (result.mae, result.naive_mae, result.average3_mae) == (D("0.00"),) * 3
    assert (result.months, result.forecasts) == (3, 3)

    # Alternating 0/200: naive is always 200 off, the 6-month median (100) always 100 off.
    flip = months(*[0, 200] * 9)
    result = backtest({"fun": flip}, first_origin=12)
    assert result.naive_mae == D("200.00") and result.mae == D("100.00")
    assert result.gain_over_naive == D("50.0")


def test_a_category_seen_fewer_than_three_months_is_not_scored():
    rare = months(*[0] * 12, 50, 0, 0)
    assert backtest({"rare": rare}, first_origin=12).forecasts == 0
