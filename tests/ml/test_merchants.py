"""Tests for finance_app/ml/merchants.py: bank strings to display names and memory keys."""

from __future__ import annotations

import pytest

from finance_app.ml.merchants import mask_digits, merchant_key, normalize_merchant

TABLE = [
    ("SQ *BLUE BOTTLE COFFEE", "Blue Bottle Coffee"),
    ("AMZN Mktp US*2K4L12", "Amazon"),
    ("TST* THE LOCAL DINER", "The Local Diner"),
    ("TRADER JOE'S #4848", "Trader Joe's"),
    ("SHELL OIL 4313", "Shell Oil"),
    ("DELTA AIR LINES 0063099", "Delta Air Lines"),
    ("PAYPAL *NETFLIX", "Netflix"),
    ("POS DEBIT 1234 WALMART STORE 0042 AUSTIN TX", "Walmart"),
    ("DEBIT CARD PURCHASE XXXX1234 CHIPOTLE 0423 DENVER CO", "Chipotle"),
    ("CHECKCARD 0322 HANDELS HOMEMADE XXXXX4332XXXXXXXXXX0322", "Handels Homemade"),
    ("ACH DEBIT COMCAST CABLE 8773", "Comcast Cable"),
    ("SP * ALLBIRDS", "Allbirds"),
    ("PP*SPOTIFY", "Spotify"),
    ("Amazon.com*CPY7I978", "Amazon"),
    ("AMAZON MKTPL*AIDPW5772C1", "Amazon"),
    ("UBER *TRIP HELP.UBER.COM", "Uber"),
    ("[debit] AT&T 06463", "AT&T"),
    ("[debit] goodwill #8835 houston", "Goodwill"),
    ("McDONALD'S F12345", "McDonald's"),
    ("7-ELEVEN 34567", "7-Eleven"),
    ("[debit] food 4 less", "Food 4 Less"),
    ("[debit] O'REILLY MEDIA", "O'Reilly Media"),
    ("[debit] PAYPAL INST XFER DOCTOR ON DEMANDWEB ID: PAYPALSI32", "Doctor on Demand"),
    ("[credit] ORIG CO NAME:NVIDIA CO ENTRY DESCR:PAYROLL SEC:PPD", "Nvidia"),
    ("[debit] BRILLIANT.ORG 1856 MARKET RD MIAMI 33101-8652FL USA", "Brilliant.org"),
    ("[credit] Brilliant.org.com", "Brilliant.org"),
    ("[debit] outback steakhouse*7e9zgvru", "Outback Steakhouse"),
    ("[debit] GOOGLE *TWITCH", "Twitch"),
    ("[debit] western dental; subscription", "Western Dental"),
    ("[debit] TARGET T-0223", "Target"),
    ("[debit] TARGET TFBAGAK5I3", "Target"),
    ("[debit] PREAPPROVED PAYMENT BILL USER PAYMENT: PLANET FITNESS", "Planet Fitness"),
    ("[debit] Express Checkout Payment: American Eagle", "American Eagle"),
    ("[debit] Erie Insurance 9568 Center Ct Brooklyn 11201-5534ny Usa", "Erie Insurance"),
    ("[debit] H MART 3219 PARK CT RALEIGH 27601-6730NC USA", "H Mart"),
    ("[debit] DAZN INC", "Dazn"),
    ("[debit] harris teeter 7637257", "Harris Teeter"),
    ("ZELLE PAYMENT TO JOHN SMITH", "John Smith"),
    ("PURCHASE AUTHORIZED ON 01/23 BLUE DOOR CAFE", "Blue Door Cafe"),
    ("[debit] MARATHON - NEW YORK", "Marathon"),
    ("DD *DOORDASH SUSHI PLACE", "Doordash Sushi Place"),
    ("Card purchase CORNER BAKERY 01-08-2023", "Corner Bakery"),
]


@pytest.mark.parametrize(("raw", "expected"), TABLE)
def test_normalize_merchant(raw: str, expected: str) -> None:
    assert normalize_merchant(raw) == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("TRADER JOE'S #4848", "Trader Joe's #012 Phoenix AZ"),
        ("[debit] BRILLIANT.ORG", "[credit] Brilliant.org.com"),
        ("TARGET T-0223", "target #5861 new york"),
        ("SQ *BLUE BOTTLE COFFEE", "BLUE BOTTLE COFFEE 0042 OAKLAND CA"),
    ],
)
def test_merchant_key_is_stable_across_spellings(a: str, b: str) -> None:
    assert merchant_key(a) == merchant_key(b)


def test_merchant_key_is_lowercase_and_separates_merchants() -> None:
    assert merchant_key("SQ *BLUE BOTTLE COFFEE") == "blue bottle coffee"
    assert merchant_key("SHELL OIL 4313") != merchant_key("DELTA AIR LINES 0063099")


def test_empty_and_junk_inputs() -> None:
    assert normalize_merchant("") == ""
    assert merchant_key("12345 67890") == ""


def test_mask_digits_keeps_lengths_but_drops_a_trailing_reference() -> None:
    assert mask_digits("STARBUCKS #1234 SEATTLE") == mask_digits("STARBUCKS #5678 SEATTLE")
    assert mask_digits("STARBUCKS #1234") == "STARBUCKS #0000"
    # a reference of five digits or more at the very end names nothing
    assert mask_digits("NETFLIX.COM 4839201") == mask_digits("NETFLIX.COM 12345") == "NETFLIX.COM"
    # a card's last four and a short number stay, as rules read them
    assert mask_digits("ALAMO CARD 1082") == "ALAMO CARD 0000"
    assert mask_digits("SHELL 57442 HOUSTON TX") == "SHELL 00000 HOUSTON TX"
    assert normalize_merchant("NETFLIX.COM 4839201") == normalize_merchant("NETFLIX.COM")
