"""A question in plain English -> an `AskQuery`, locally: keyword rules for the measure,
`dates` for the range, the household's own names (`vocabulary`) for what it covers.

Every word must be understood. A word that is neither grammar, a measure, a date nor one of
the household's names makes the question unreadable, answered with suggestions, because
reading around it would be a guess."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from finance_app.services.ask.dates import FoundRange, all_time, find_ranges
from finance_app.services.ask.query import (
    AVERAGE,
    BIGGEST,
    BY_CATEGORY,
    COMPARISON,
    COUNT,
    EARNED,
    LAST,
    SPENT,
    TOP_CATEGORY,
    AskQuery,
    Named,
    Subject,
)
from finance_app.services.ask.vocabulary import (
    ACCOUNT,
    CATEGORY,
    MERCHANT,
    Vocabulary,
    normalize,
)

MAX_LENGTH = 200
MAX_PHRASE_WORDS = 4

_VERSUS = re.compile(r"\s+(?:vs\.?|versus|compared\s+(?:to|with)|against)\s+")
_LAST = re.compile(r"\bwhen\b|\blast\s+time\b|\bmost\s+recent(?:ly)?\b|\blatest\b")
_TOP_CATEGORY = re.compile(
    r"\b(?:largest|biggest|top|highest|most|main)\b.*\bcategor(?:y|ies)\b"
    r"|\b(?:which|what)\s+category\b|\bwhere\s+did\s+i\s+spend\s+(?:the\s+)?most\b")
_BIGGEST = re.compile(
    r"\b(?:biggest|largest|top|highest|most\s+expensive|priciest)\b.*\b(?:purchases?|expenses?|"
    r"transactions?|spends?|buys?|payments?|charges?|items?)\b")
_COUNT = re.compile(r"\bhow\s+many\b|\bhow\s+often\b|\bnumber\s+of\b|\bcount\b")
_AVERAGE = re.compile(r"\baverage\b|\bavg\b|\bmean\b|\btypical\b")
_EARNED = re.compile(
    r"\b(?:earn|earned|earning|earnings|income|made|salary|paycheck|paychecks|revenue|"
    r"receive|received|got\s+paid|get\s+paid|paid\s+me)\b")
_SPENT = re.compile(
    r"\b(?:spend|spent|spending|cost|costs|pay|paid|payments?|expenses?|buy|bought|"
    r"purchases?|outgoings|how\s+much|total|went\s+to|go\s+to)\b")

# Grammar and measure words: understood, and never read as a name.
_GRAMMAR = """
a an the i me my we our us you your it its this that these those there here
how much many times time often number count what whats which when where who whom why
did do does done doing was were is are be been being am have has had having will would
can could should please show tell give list find see get got go went going gone
on in at for to from of and or with by per into over during about up out than as
spend spent spending spendings pay paid paying payment payments cost costs total totals
buy bought buying purchase purchases purchased expense expenses expensive charges charge
transaction transactions earn earned earning earnings income made salary paycheck
paychecks revenue receive received biggest largest top highest most main priciest
average avg mean typical category categories last recent recently latest ever all
overall bill money dollars amount visit visits visited trip trips order orders
shop at item items card account accounts so far eat ate eating
"""
STOPWORDS = frozenset(_GRAMMAR.split())

EXAMPLES = (
    "how much did I spend on {category} last month",
    "biggest purchases this year",
    "average {category} bill this year",
    "how many times did I go to {merchant} in the last 90 days",
    "what did I earn in Q2",
    "{category} in 2025 vs 2026",
    "largest expense category last quarter",
    "when did I last pay {category}",
)


@dataclass(frozen=True)
class Reading:
    """The query, or why not: the words it could not read and questions it can."""

    query: AskQuery | None
    unknown_words: tuple[str, ...] = ()
    suggestions: tuple[str, ...] = ()
    problem: str = ""


def _measure(text: str) -> str | None:
    if _VERSUS.search(text):
        return COMPARISON
    for pattern, measure in ((_LAST, LAST), (_TOP_CATEGORY, TOP_CATEGORY),
                             (_BIGGEST, BIGGEST), (_COUNT, COUNT), (_AVERAGE, AVERAGE),
                             (_EARNED, EARNED), (_SPENT, SPENT)):
        if pattern.search(text):
            return measure
    return None


@dataclass
class _Side:
    ranges: list[FoundRange]
    categories: list[Named]
    merchants: list[str]
    accounts: list[Named]
    unknown: list[str]

    @property
    def has_subject(self) -> bool:
        return bool(self.categories or self.merchants or self.accounts)


def _read_side(text: str, vocabulary: Vocabulary, today: date) -> _Side:
    ranges = find_ranges(text, today)
    rest, cursor = [], 0
    for found in ranges:
        rest.append(text[cursor:found.span[0]])
        cursor = found.span[1]
    rest.append(text[cursor:])
    # Runs of content words between grammar words; a name never spans a grammar word.
    runs: list[list[str]] = [[]]
    for piece in rest:
        for word in normalize(piece).split():
            if word in STOPWORDS:
                runs.append([])
            else:
                runs[-1].append(word)
        runs.append([])
    side = _Side(ranges, [], [], [], [])
    # A number left over ("2025-02-30", "12") is a date or amount it could not read: saying so
    # beats answering for all time.
    side.unknown += [t for piece in rest for t in re.findall(r"[\d./-]*\d[\d./-]*", piece)
                     if not re.search(r"[a-z]", t)]
    for words in (r for r in runs if r):
        i = 0
        while i < len(words):
            for n in range(min(MAX_PHRASE_WORDS, len(words) - i), 0, -1):
                matched = vocabulary.match(" ".join(words[i:i + n]))
                if matched is not None:
                    entry = matched[0]
                    if entry.kind == CATEGORY and entry.id is not None:
                        named = Named(entry.id, entry.name)
                        if named not in side.categories:
                            side.categories.append(named)
                    elif entry.kind == ACCOUNT and entry.id is not None:
                        named = Named(entry.id, entry.name)
                        if named not in side.accounts:
                            side.accounts.append(named)
                    elif entry.kind == MERCHANT and entry.name not in side.merchants:
                        side.merchants.append(entry.name)
                    i += n
                    break
            else:
                side.unknown.append(words[i])
                i += 1
    return side


def _suggestions(vocabulary: Vocabulary, unknown: list[str], text: str) -> tuple[str, ...]:
    """The question with each unknown word replaced by a name like it, then examples in the
    household's own names."""
    near = []
    for word in unknown:
        for name in vocabulary.near(word, 2):
            near.append(re.sub(rf"\b{re.escape(word)}\b", name.lower(), text, count=1))
    categories = vocabulary.names(CATEGORY) or ["groceries"]
    merchants = vocabulary.names(MERCHANT) or ["Amazon"]
    category = categories[len(categories) // 2].lower()
    examples = [e.format(category=category, merchant=merchants[0]) for e in EXAMPLES]
    return tuple(q for q in dict.fromkeys(near + examples) if q != text)


def _subject(side: _Side, found: FoundRange) -> Subject:
    return Subject(found.range, found.label, tuple(side.categories),
                   side.merchants[0] if side.merchants else "", tuple(side.accounts))


def _unreadable(vocabulary: Vocabulary, problem: str, text: str = "",
                unknown: list[str] | None = None) -> Reading:
    unknown = unknown or []
    return Reading(None, tuple(unknown), _suggestions(vocabulary, unknown, text), problem)


def parse_question(question: str, vocabulary: Vocabulary, today: date) -> Reading:
    """Read `question` against the household's names, dates relative to `today`."""
    text = " ".join(question.lower().replace("?", " ").replace("’", "'").split())
    if not text:
        return _unreadable(vocabulary, "Ask a question about your money.")
    if len(text) > MAX_LENGTH:
        return _unreadable(vocabulary, f"Questions can be up to {MAX_LENGTH} characters.")
    measure = _measure(text)
    earned = bool(_EARNED.search(text))
    basis = EARNED if earned else SPENT
    parts = _VERSUS.split(text, maxsplit=1) if measure == COMPARISON else [text]
    sides = [_read_side(part, vocabulary, today) for part in parts]
    unknown = [w for side in sides for w in side.unknown]
    if unknown:
        listed = ", ".join(f"“{w}”" for w in unknown)
        return _unreadable(vocabulary, f"I don't know {listed} in your categories, merchants "
                                       "or accounts.", text, unknown)
    if measure is None and any(side.has_subject for side in sides):
        measure = SPENT  # "restaurants last month": a name alone asks what went to it
    if measure is None:
        return _unreadable(vocabulary, "I can't tell what to add up: ask how much, how many, "
                                       "the average, the biggest or when.")
    if any(len(side.ranges) > 1 for side in sides):
        return _unreadable(vocabulary, "That has more than one period: compare two with “vs”.")
    if any(len(side.merchants) > 1 for side in sides):
        return _unreadable(vocabulary, "Ask about one merchant at a time, or compare two "
                                       "with “vs”.")
    if measure != COMPARISON:
        side = sides[0]
        found = side.ranges[0] if side.ranges else all_time(today)
        subject = _subject(side, found)
        if measure == TOP_CATEGORY:
            return Reading(AskQuery(TOP_CATEGORY, subject, grouping=BY_CATEGORY))
        return Reading(AskQuery(measure, subject, basis=basis))
    first, second = sides
    found_a = first.ranges[0] if first.ranges else None
    found_b = second.ranges[0] if second.ranges else None
    found_a = found_a or found_b or all_time(today)
    found_b = found_b or found_a
    if not second.has_subject:
        second = replace(second, categories=first.categories, merchants=first.merchants,
                         accounts=first.accounts)
    elif not first.has_subject:
        first = replace(first, categories=second.categories, merchants=second.merchants,
                        accounts=second.accounts)
    a, b = _subject(first, found_a), _subject(second, found_b)
    if a == b:
        return _unreadable(vocabulary, "Both sides of that comparison are the same.")
    return Reading(AskQuery(COMPARISON, a, versus=b, basis=basis))
