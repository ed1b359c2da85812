"""The household's category -> tax-category mapping, edited by its members, read by the tax
summary."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, func

from finance_app.db import DbSession
from finance_app.models.ledger import TRANSFER, Category
from finance_app.models.report import TAX_CATEGORIES, TaxCategoryMapping
from finance_app.money import CENT, quantize
from finance_app.reports.data import MONEY, Column, Row, Table
from finance_app.services.errors import ValidationFailed
from finance_app.services.investments.overview import tax_figures
from finance_app.services.scope import Scope, scoped


class UnknownTaxCategory(ValidationFailed):
    """Choose a tax category from the list."""


@dataclass(frozen=True)
class MappingRow:
    category: Category
    tax_category: str  # "" when not mapped
    inherited: str = ""  # the group's tax category, which a subcategory follows unless set


def get_mapping(session: DbSession, scope: Scope) -> dict[int, str]:
    """category id -> tax category key, as saved (a group's entry covers its subcategories)."""
    return {m.category_id: m.tax_category
            for m in session.scalars(scoped(TaxCategoryMapping, scope))}


def effective_tax_category(mapping: Mapping[int, str], category_id: int | None,
                           parents: Mapping[int, int | None]) -> str:
    """The tax category a category counts towards: its own, else its group's, else ""."""
    if category_id is None:
        return ""
    own = mapping.get(category_id)
    if own:
        return own
    parent = parents.get(category_id)
    return mapping.get(parent, "") if parent is not None else ""


def list_mapping_rows(session: DbSession, scope: Scope) -> list[MappingRow]:
    """Every income and spending category, groups first with their subcategories under them."""
    categories = list(session.scalars(
        scoped(Category, scope).where(Category.kind != TRANSFER)
        .order_by(Category.position, func.lower(Category.name))
    ))
    mapping = get_mapping(session, scope)
    rows: list[MappingRow] = []
    for group in (c for c in categories if c.parent_id is None):
        rows.append(MappingRow(group, mapping.get(group.id, "")))
        rows += [MappingRow(c, mapping.get(c.id, ""), mapping.get(group.id, ""))
                 for c in categories if c.parent_id == group.id]
    return rows


def save_mapping(session: DbSession, scope: Scope, chosen: Mapping[int, str]) -> int:
    """Replace the mapping with `chosen` (category id -> tax key, "" for none). Ids of
    categories the household does not have are ignored; an unknown tax key changes nothing.
    Returns how many categories are mapped."""
    unknown = [key for key in chosen.values() if key and key not in TAX_CATEGORIES]
    if unknown:
        raise UnknownTaxCategory()
    ours = set(session.scalars(scoped(Category, scope).with_only_columns(Category.id)))
    session.execute(delete(TaxCategoryMapping).where(
        TaxCategoryMapping.household_id == scope.household_id))
    count = 0
    for category_id, key in sorted(chosen.items()):
        if key and category_id in ours:
            session.add(TaxCategoryMapping(household_id=scope.household_id,
                                           category_id=category_id, tax_category=key))
            count += 1
    session.flush()
    return count


def investment_income_table(session: DbSession, scope: Scope, start: date, end: date
                            ) -> Table | None:
    """Realized gains (short and long term, wash-sale losses disallowed) and dividends of the
    period from the investments' lots; None for a household without trades."""
    figures = tax_figures(session, scope, start, end)
    if figures is None:
        return None
    t = figures.totals
    rows = (("Short-term capital gains", t.short_term), ("Long-term capital gains", t.long_term),
            ("Wash-sale losses disallowed", t.wash_disallowed),
            ("Dividends paid in cash", figures.dividends - figures.reinvested),
            ("Dividends reinvested", figures.reinvested))
    return Table(f"Investments ({figures.currency})", (Column("Item"), Column("Amount", MONEY)),
                 tuple(Row((label, quantize(amount, CENT))) for label, amount in rows))
