"""Header vocabulary: what banks call each column, in several languages, scored per role."""

from __future__ import annotations

from .text import header_key

# Phrases are compared after `header_key` (lowercase ASCII words). An exact phrase scores its
# weight; a header merely containing one of the role's `_WORDS` scores 2. Weights rank synonyms:
# the transaction date beats the posting date, which beats the value date.
_PHRASES: dict[str, dict[str, float]] = {
    "date": {
        "date": 3, "transaction date": 3.2, "trans date": 3.1, "txn date": 3.1,
        "trade date": 3, "booking date": 3.1, "started date": 3.1, "completed date": 2.9,
        "posting date": 2.8, "posted date": 2.8, "post date": 2.8, "date posted": 2.8,
        "settlement date": 2.6, "value date": 2.5, "effective date": 2.6,
        "datum": 3, "buchungstag": 3.1, "buchungsdatum": 3.1, "belegdatum": 3,
        "wertstellung": 2.4, "valutadatum": 2.4, "fecha": 3, "fecha operacion": 3.1,
        "fecha valor": 2.5, "data": 2.6, "data operazione": 3.1, "data contabile": 2.8,
        "data valuta": 2.4, "date operation": 3.1, "date de l operation": 3.1,
        "date valeur": 2.5, "date de valeur": 2.5, "boekdatum": 3, "transactiedatum": 3.1,
        "rentedatum": 2.4, "transaktionsdatum": 3.1, "bokforingsdatum": 2.8, "dato": 3,
        "bokforingsdag": 2.8, "paivamaara": 3, "kirjauspaiva": 3, "data transakcji": 3.1,
    },
    "description": {
        "description": 3, "transaction description": 3.1, "payee": 3, "payee name": 3,
        "name": 2.8, "merchant": 2.9, "merchant name": 3, "narrative": 3, "details": 2.2,
        "transaction details": 3, "particulars": 2.6, "counterparty": 2.8,
        "counter party": 2.8, "beneficiary": 2.6, "description 1": 3, "memo": 1.6,
        "reference": 1.5, "text": 2, "transaction": 1.8, "notes": 1.2,
        "verwendungszweck": 3, "buchungstext": 2.6, "beschreibung": 3, "empfanger": 2.8,
        "auftraggeber": 2.6, "auftraggeber empfanger": 3, "auftraggeber begunstigter": 3.1,
        "begunstigter zahlungspflichtiger": 3.1, "zahlungsempfanger": 3,
        "name zahlungsbeteiligter": 3, "libelle": 3, "libelle operation": 3.1,
        "libelle de l operation": 3.1, "concepto": 3, "descripcion": 3, "omschrijving": 3,
        "naam omschrijving": 3, "naam": 2.6, "mededelingen": 2, "causale": 3, "descrizione": 3,
        "beskrivning": 3, "tekst": 2.6, "kuvaus": 3, "opis": 3, "tytul": 2.6,
    },
    "amount": {
        "amount": 3, "amt": 2.8, "transaction amount": 3.1, "value": 2, "sum": 2,
        "net amount": 2.6, "billing amount": 2.8, "amount in account currency": 3,
        "betrag": 3, "umsatz": 2.8, "montant": 3, "importe": 3, "bedrag": 3, "belopp": 3,
        "belob": 3, "importo": 3, "valor": 2.6, "summa": 2.6, "kwota": 3, "maara": 2.6,
    },
    "debit": {
        "debit": 3, "debits": 3, "debit amount": 3.1, "withdrawal": 3, "withdrawals": 3,
        "withdrawal amount": 3.1, "paid out": 3, "money out": 3, "out": 2.4, "outflow": 3,
        "charge": 2.4, "charges": 2.4, "spent": 2.4, "soll": 3, "belastung": 3, "debet": 3,
        "af": 2.4, "cargo": 3, "cargos": 3, "debe": 3, "uscite": 3, "addebiti": 3,
        "debito": 3, "sortie": 2.6, "retrait": 2.8, "uitgaven": 3, "ausgang": 2.6,
    },
    "credit": {
        "credit": 3, "credits": 3, "credit amount": 3.1, "deposit": 3, "deposits": 3,
        "deposit amount": 3.1, "paid in": 3, "money in": 3, "in": 2.4, "inflow": 3,
        "haben": 3, "gutschrift": 3, "bij": 2.4, "abono": 3, "abonos": 3, "haber": 3,
        "entrate": 3, "accrediti": 3, "credito": 3, "entree": 2.6, "depot": 2.6,
        "inkomsten": 3, "eingang": 2.6,
    },
    "indicator": {
        "cr dr": 3, "dr cr": 3, "debit credit": 3, "credit debit": 3, "d c": 3, "c d": 3,
        "dc": 3, "cd": 2.4, "crdr": 3, "drcr": 3, "type": 2, "transaction type": 2.4,
        "details": 2, "indicator": 2.6, "sign": 2.6, "s h": 3, "soll haben": 3,
        "debit credit indicator": 3, "credit debit indicator": 3, "direction": 2.6,
    },
    "currency": {
        "currency": 3, "ccy": 3, "curr": 2.6, "currency code": 3, "wahrung": 3,
        "devise": 3, "moneda": 3, "divisa": 3, "valuta": 2, "waluta": 3,
    },
    "external_id": {
        "transaction id": 3, "id": 2.6, "txn id": 3, "fitid": 3, "transaction reference": 2.6,
        "unique id": 3, "reference number": 2, "transaction number": 2.4,
    },
}
_WORDS: dict[str, set[str]] = {
    "date": {"date", "datum", "fecha", "data", "dato"},
    "description": {"description", "payee", "merchant", "narrative", "libelle", "beschreibung"},
    "amount": {"amount", "betrag", "montant", "importe", "bedrag", "importo"},
    "debit": {"debit", "debits", "withdrawal", "withdrawals", "outflow", "soll"},
    "credit": {"credit", "credits", "deposit", "deposits", "inflow", "haben"},
    "currency": {"currency", "wahrung", "devise"},
    "indicator": set(),
    "external_id": set(),
}
# Words that rule a column out of the money roles: balances and identifiers look numeric too.
NOT_MONEY_WORDS = {
    "balance", "bal", "saldo", "solde", "kontostand", "running", "available", "limit", "rate",
    "id", "number", "no", "nr", "num", "card", "account", "check", "cheque", "ref", "reference",
    "category", "original", "fee", "fees", "exchange", "tax", "points", "reward", "rewards",
}
ROLES = tuple(_PHRASES)


def header_score(header: str, role: str) -> float:
    """0 when the header says nothing about `role`, up to about 3 for an exact synonym."""
    key = header_key(header)
    if not key:
        return 0.0
    exact = _PHRASES[role].get(key)
    if exact is not None:
        return exact
    tokens = set(key.split())
    if role in ("amount", "debit", "credit") and tokens & NOT_MONEY_WORDS:
        return 0.0
    return 2.0 if tokens & _WORDS[role] else 0.0


def is_not_money(header: str) -> bool:
    return bool(set(header_key(header).split()) & NOT_MONEY_WORDS)


def keyword_hits(cells: list[str]) -> int:
    """How many cells read like a known column name (for spotting the header row)."""
    return sum(1 for cell in cells if cell and any(header_score(cell, r) >= 2 for r in ROLES))
