"""The report page's GET form, read from the query string (`from`/`to` are not Python names, so
no WTForms class), and the tax-category form."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from werkzeug.datastructures import MultiDict

from finance_app.services.reports.params import ALL, KINDS, MAX_DAYS, ReportParams
from finance_app.services.reports.periods import DEFAULT_PRESET, PRESETS, preset_range

CUSTOM = "custom"
# Query parameters that carry a report (kept by the downloads and the file buttons).
REPORT_KEYS = ("range", "from", "to", "kind", "account", "category", "tag", "merchant",
               "member")


@dataclass
class ReportFormState:
    """What the form shows back: the inputs as typed, and what was wrong with them."""

    preset: str = DEFAULT_PRESET
    start_text: str = ""
    end_text: str = ""
    kind: str = ALL
    account_ids: list[int] = field(default_factory=list)
    category_ids: list[int] = field(default_factory=list)
    tag_ids: list[int] = field(default_factory=list)
    merchant: str = ""
    member: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    def pairs(self) -> list[tuple[str, str]]:
        """The report's query parameters (the dates in force), for links and hidden inputs."""
        out = [("range", self.preset), ("from", self.start_text), ("to", self.end_text),
               ("kind", self.kind)]
        out += [("account", str(i)) for i in self.account_ids]
        out += [("category", str(i)) for i in self.category_ids]
        out += [("tag", str(i)) for i in self.tag_ids]
        if self.merchant:
            out.append(("merchant", self.merchant))
        if self.member:
            out.append(("member", self.member))
        return out


def _ids(args: MultiDict, name: str) -> list[int]:
    return sorted({int(v) for v in args.getlist(name) if v.strip().isdigit()})


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def parse_report_args(args: MultiDict, today: date) -> tuple[ReportFormState, ReportParams | None]:
    """The form's state and the report it asks for; None (with `errors`) when it asks for
    nothing sensible. `from`/`to` alone (the weekly email's link) mean custom dates."""
    state = ReportFormState(
        kind=args.get("kind", ALL) if args.get("kind", ALL) in KINDS else ALL,
        account_ids=_ids(args, "account"), category_ids=_ids(args, "category"),
        tag_ids=_ids(args, "tag"), merchant=(args.get("merchant") or "").strip()[:200],
        member=(args.get("member") or "").strip(),
    )
    start_text, end_text = (args.get("from") or "").strip(), (args.get("to") or "").strip()
    preset = args.get("range") or (CUSTOM if start_text or end_text else DEFAULT_PRESET)
    state.preset = preset if preset in PRESETS else DEFAULT_PRESET
    if state.preset == CUSTOM:
        start, end = _date(start_text), _date(end_text)
        state.start_text, state.end_text = start_text, end_text
        if start is None:
            state.errors["from"] = ("Enter the start date as YYYY-MM-DD, e.g. 2026-01-01."
                                    if start_text else "Enter a start date.")
        if end is None:
            state.errors["to"] = ("Enter the end date as YYYY-MM-DD, e.g. 2026-03-31."
                                  if end_text else "Enter an end date.")
        if start is None or end is None:
            return state, None
        if end < start:
            state.errors["to"] = "The end date is before the start date."
            return state, None
        if (end - start).days + 1 > MAX_DAYS:
            state.errors["to"] = "A report covers at most ten years; choose a shorter period."
            return state, None
    else:
        span = preset_range(state.preset, today)
        start, end = span.start, span.end
        state.start_text, state.end_text = start.isoformat(), end.isoformat()
    params = ReportParams(start=start, end=end, kind=state.kind,
                          account_ids=tuple(state.account_ids),
                          category_ids=tuple(state.category_ids), tag_ids=tuple(state.tag_ids),
                          merchant=state.merchant, member=state.member)
    return state, params
