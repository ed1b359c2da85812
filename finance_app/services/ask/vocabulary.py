"""The household's own names a question may use: categories, merchants and accounts, and
fuzzy matching of words against them (difflib: close spellings and plurals, no guessing)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher, get_close_matches

from sqlalchemy import func, select

from finance_app.db import DbSession
from finance_app.models.ledger import Account, Category, Transaction
from finance_app.services.ledger.lines import merchant_expr
from finance_app.services.scope import Scope, in_scope, scope_filter

CATEGORY, MERCHANT, ACCOUNT = "category", "merchant", "account"
# A word is read as a name only this close to it (0-1, difflib's ratio): "grocery" is 0.88 of
# "groceries", "starbuck" 0.94 of "starbucks"; "target" is 0.5 of "travel".
MATCH_CUTOFF = 0.8
SUGGEST_CUTOFF = 0.6
# Enough merchants to know every one a household goes to more than once in a while.
MERCHANT_LIMIT = 3000


def normalize(text: str) -> str:
    """Lower case, punctuation as spaces, ".com" and store numbers dropped."""
    text = text.lower().replace("&", " and ").replace("'", "")
    text = re.sub(r"\.com\b", " ", text)
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(w for w in text.split() if not w.isdigit())


def stem(word: str) -> str:
    """The singular, roughly: "groceries" -> "grocery", "restaurants" -> "restaurant". Names
    and questions are compared stemmed, so a plural never costs a match."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def key_of(text: str) -> str:
    return " ".join(stem(w) for w in normalize(text).split())


@dataclass(frozen=True)
class Entry:
    kind: str
    id: int | None  # None for a merchant (merchants are names, not rows)
    name: str


@dataclass
class Vocabulary:
    """Names by their normalized form; a category wins over a merchant of the same name."""

    entries: dict[str, list[Entry]] = field(default_factory=dict)

    def add(self, kind: str, id_: int | None, name: str) -> None:
        key = key_of(name)
        if key:
            self.entries.setdefault(key, []).append(Entry(kind, id_, name))

    def match(self, phrase: str) -> tuple[Entry, float] | None:
        """The name `phrase` (normalized) stands for: exact, the first words of a name
        ("amazon" for "Amazon Marketplace") or a close spelling; None when nothing is close."""
        phrase = key_of(phrase)
        if phrase in self.entries:
            return self.entries[phrase][0], 1.0
        if len(phrase) >= 3:
            starts = [k for k in self.entries if k.startswith(phrase + " ")]
            if starts:
                return self.entries[min(starts, key=len)][0], 0.95
        close = get_close_matches(phrase, list(self.entries), n=1, cutoff=MATCH_CUTOFF)
        if close:
            return self.entries[close[0]][0], SequenceMatcher(None, phrase, close[0]).ratio()
        return None

    def near(self, word: str, n: int = 3) -> list[str]:
        """Names a little like `word`, for "did you mean"."""
        close = get_close_matches(key_of(word), list(self.entries), n=n, cutoff=SUGGEST_CUTOFF)
        return [self.entries[k][0].name for k in close]

    def names(self, kind: str) -> list[str]:
        return [e.name for entries in self.entries.values() for e in entries if e.kind == kind]


def load_vocabulary(session: DbSession, scope: Scope) -> Vocabulary:
    """The household's categories (not transfers), accounts and most used merchants."""
    vocabulary = Vocabulary()
    for id_, name in session.execute(
        select(Category.id, Category.name).where(scope_filter(Category, scope),
                                                 Category.kind != "transfer")
        .order_by(Category.parent_id.is_not(None), Category.name)
    ):
        vocabulary.add(CATEGORY, int(id_), name)
    for id_, name in session.execute(
        select(Account.id, Account.name).where(*in_scope(Account, scope)).order_by(Account.name)
    ):
        vocabulary.add(ACCOUNT, int(id_), name)
    merchant = merchant_expr()
    for (name,) in session.execute(
        select(merchant).where(*in_scope(Transaction, scope)).group_by(merchant)
        .order_by(func.count().desc()).limit(MERCHANT_LIMIT)
    ):
        if name:
            vocabulary.add(MERCHANT, None, name)
    return vocabulary
