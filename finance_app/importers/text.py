"""Text normalization shared by header matching, fingerprints and duplicate detection."""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Casefold and strip accents: "Libellé" -> "libelle", "Währung" -> "wahrung"."""
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in text if not unicodedata.combining(ch)).replace("ß", "ss")


def header_key(text: str) -> str:
    """A header reduced to lowercase words: "Running Bal." -> "running bal"."""
    return _NON_ALNUM.sub(" ", fold(text)).strip()


def normalize_description(text: str) -> str:
    """Whitespace collapsed, case and compatibility forms folded; punctuation kept, because
    "T-2853" and "T 2853" may be different shops and exports of one bank are byte-identical."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def words(text: str) -> list[str]:
    return _NON_ALNUM.sub(" ", fold(text)).split()
