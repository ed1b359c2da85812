"""The report as a PDF (ReportLab): a cover with period and filters, then each section's figures,
chart and tables; tables break across pages with their header repeated; "Page N of M" on each."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdf_canvas
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    LongTable,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)

from finance_app.money import format_money
from finance_app.reports.data import (
    COUNT,
    TEXT,
    Chart,
    Figure,
    ReportData,
    Section,
    Table,
    format_cell,
)

Progress = Callable[[int, str], None]
PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
INK, MUTED, RULE, BAND = (colors.HexColor(c) for c in ("#111827", "#6b7280", "#d1d5db",
                                                        "#f3f4f6"))
# Fonts with the glyphs of every currency symbol (₹, ₩, ₺ ...), where the system has them;
# ReportLab's own Helvetica otherwise.
FONT_FILES = (
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
     "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
)


@lru_cache(maxsize=1)
def fonts() -> tuple[str, str]:
    """(regular, bold) font names, registered once per process."""
    for regular, bold in FONT_FILES:
        if Path(regular).is_file() and Path(bold).is_file():
            pdfmetrics.registerFont(TTFont("ReportSans", regular))
            pdfmetrics.registerFont(TTFont("ReportSans-Bold", bold))
            return "ReportSans", "ReportSans-Bold"
    return "Helvetica", "Helvetica-Bold"


def _styles() -> dict[str, ParagraphStyle]:
    regular, bold = fonts()
    base = ParagraphStyle("body", fontName=regular, fontSize=9, leading=12, textColor=INK)
    return {
        "body": base,
        "muted": ParagraphStyle("muted", parent=base, textColor=MUTED, fontSize=8, leading=10),
        "cover": ParagraphStyle("cover", parent=base, fontName=bold, fontSize=24, leading=30,
                                spaceAfter=6),
        "h1": ParagraphStyle("h1", parent=base, fontName=bold, fontSize=15, leading=19,
                             spaceBefore=4, spaceAfter=6),
        "h2": ParagraphStyle("h2", parent=base, fontName=bold, fontSize=11, leading=14,
                             spaceBefore=8, spaceAfter=4),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=10.5),
        "num": ParagraphStyle("num", parent=base, fontSize=8.5, leading=10.5, alignment=TA_RIGHT),
        "head": ParagraphStyle("head", parent=base, fontName=bold, fontSize=8.5, leading=10.5),
        "headnum": ParagraphStyle("headnum", parent=base, fontName=bold, fontSize=8.5,
                                  leading=10.5, alignment=TA_RIGHT),
    }


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class NumberedCanvas(pdf_canvas.Canvas):
    """Keeps every page until the end, so each can say "Page N of M" (two-pass numbering)."""

    footer_text = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self) -> None:  # ReportLab calls it by this name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._footer(total)
            super().showPage()
        super().save()

    def _footer(self, total: int) -> None:
        regular, _ = fonts()
        self.setFont(regular, 8)
        self.setFillColor(MUTED)
        self.drawRightString(PAGE_WIDTH - MARGIN, 10 * mm,
                             f"Page {self._pageNumber} of {total}")
        self.drawString(MARGIN, 10 * mm, self.footer_text)


def _figures_table(figures: tuple[Figure, ...], currency: str,
                   styles: dict[str, ParagraphStyle]) -> LongTable:
    rows = [[Paragraph(_escape(f.label) + (f"<br/><font size=7 color='#6b7280'>"
                                           f"{_escape(f.note)}</font>" if f.note else ""),
                       styles["cell"]),
             Paragraph(_escape(format_cell(f.value, f.kind, currency)), styles["num"])]
            for f in figures]
    table = LongTable(rows, colWidths=[CONTENT_WIDTH * 0.6, CONTENT_WIDTH * 0.4])
    table.setStyle(TableStyle([
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table


def _column_widths(table: Table) -> list[float]:
    numeric = [c.kind not in (TEXT,) and n > 0 for n, c in enumerate(table.columns)]
    text_count = numeric.count(False) or 1
    number_width = min(28 * mm, CONTENT_WIDTH * 0.6 / max(numeric.count(True), 1))
    text_width = (CONTENT_WIDTH - number_width * numeric.count(True)) / text_count
    return [number_width if n else text_width for n in numeric]


def _data_table(table: Table, currency: str, styles: dict[str, ParagraphStyle]) -> LongTable:
    header = [Paragraph(_escape(c.label), styles["head" if c.kind == TEXT or n == 0
                                                 else "headnum"])
              for n, c in enumerate(table.columns)]
    rows: list[list[Any]] = [header]
    commands: list[tuple] = [
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    _, bold = fonts()
    for number, row in enumerate(table.rows, start=1):
        cells = []
        for n, (value, column) in enumerate(zip(row.cells, table.columns, strict=True)):
            text = _escape(format_cell(value, column.kind, currency))
            if n == 0 and row.depth:
                text = "&nbsp;" * 4 * row.depth + text
            if row.is_total or (row.depth == 0 and any(r.depth for r in table.rows)):
                text = f"<font name='{bold}'>{text}</font>"
            cells.append(Paragraph(text, styles["cell" if column.kind == TEXT or n == 0
                                               else "num"]))
        rows.append(cells)
        if row.is_total:
            commands.append(("LINEABOVE", (0, number), (-1, number), 0.8, INK))
        if row.depth == 0 and number % 2 == 0 and not any(r.depth for r in table.rows):
            commands.append(("BACKGROUND", (0, number), (-1, number), BAND))
    result = LongTable(rows, colWidths=_column_widths(table), repeatRows=1)
    result.setStyle(TableStyle(commands))
    return result


def _plot_value(value: Decimal) -> float:
    """A chart's geometry is in points: the only place a Decimal becomes a float; every figure
    printed stays Decimal (the tables beside each chart carry the exact amounts)."""
    return float(value)


def _axis_label(currency: str) -> Callable[[float], str]:
    def label(value: float) -> str:
        return format_money(Decimal(str(round(value))), currency).split(".")[0]
    return label


def _chart(chart: Chart, currency: str) -> Drawing:
    regular, _ = fonts()
    height = 62 * mm
    drawing = Drawing(CONTENT_WIDTH, height + 14 * mm)
    drawing.add(String(0, height + 9 * mm, chart.title, fontName=regular, fontSize=9,
                       fillColor=INK))
    labels = list(chart.labels)
    data = [[_plot_value(v) for v in s.values] for s in chart.series]
    if chart.kind == "hbar":  # ReportLab stacks horizontal bars from the bottom up
        labels, data = labels[::-1], [values[::-1] for values in data]
    plot: Any
    if chart.kind == "line":
        plot = LinePlot()
        plot.data = [list(enumerate(values)) for values in data]
        for n, s in enumerate(chart.series):
            plot.lines[n].strokeColor = colors.HexColor(s.color)
            plot.lines[n].strokeWidth = 1.6
        plot.xValueAxis.valueMin, plot.xValueAxis.valueMax = 0, max(len(labels) - 1, 1)
        step = max(1, len(labels) // 8)
        plot.xValueAxis.valueSteps = list(range(0, len(labels), step))
        plot.xValueAxis.labelTextFormat = lambda i: labels[int(i)] if 0 <= i < len(labels) else ""
        plot.xValueAxis.labels.fontName = regular
        plot.xValueAxis.labels.fontSize = 7
        plot.yValueAxis.labelTextFormat = _axis_label(currency)
        plot.yValueAxis.labels.fontName = regular
        plot.yValueAxis.labels.fontSize = 7
    else:
        plot = HorizontalBarChart() if chart.kind == "hbar" else VerticalBarChart()
        plot.data = data
        plot.categoryAxis.categoryNames = labels
        plot.categoryAxis.labels.fontName = regular
        plot.categoryAxis.labels.fontSize = 7
        if chart.kind == "bar" and len(labels) > 14:
            plot.categoryAxis.labels.angle = 45
            plot.categoryAxis.labels.boxAnchor = "ne"
            step = max(1, len(labels) // 14)
            plot.categoryAxis.categoryNames = [lb if i % step == 0 else ""
                                               for i, lb in enumerate(labels)]
        plot.valueAxis.labelTextFormat = _axis_label(currency)
        plot.valueAxis.labels.fontName = regular
        plot.valueAxis.labels.fontSize = 7
        plot.valueAxis.forceZero = True
        for n, s in enumerate(chart.series):
            plot.bars[n].fillColor = colors.HexColor(s.color)
            plot.bars[n].strokeColor = None
        plot.barSpacing = 0.5
    left = 38 * mm if chart.kind == "hbar" else 18 * mm
    plot.x, plot.y = left, 12 * mm
    plot.width, plot.height = CONTENT_WIDTH - left - 4 * mm, height - 12 * mm
    drawing.add(plot)
    if len(chart.series) > 1:
        legend = Legend()
        legend.fontName, legend.fontSize = regular, 7
        legend.alignment = "right"
        legend.columnMaximum = 1
        legend.x, legend.y = CONTENT_WIDTH - 60 * mm, height + 10 * mm
        legend.deltax = 60
        legend.colorNamePairs = [(colors.HexColor(s.color), s.name) for s in chart.series]
        drawing.add(legend)
    return drawing


def _cover(data: ReportData, styles: dict[str, ParagraphStyle]) -> list[Any]:
    story: list[Any] = [Spacer(1, 30 * mm),
                        Paragraph(_escape(data.title), styles["cover"]),
                        Paragraph(_escape(data.household), styles["h2"]),
                        Paragraph(_escape(data.period_label), styles["h1"]),
                        Spacer(1, 6 * mm)]
    facts = [("Currency", data.currency), ("Generated", format_cell(data.generated_on, "date",
                                                                     data.currency)),
             *data.filters]
    rows = [[Paragraph(_escape(k), styles["muted"]), Paragraph(_escape(v), styles["body"])]
            for k, v in facts]
    facts_table = LongTable(rows, colWidths=[40 * mm, CONTENT_WIDTH - 40 * mm])
    facts_table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                     ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE)]))
    story += [facts_table, Spacer(1, 10 * mm)]
    totals = data.totals
    story.append(_figures_table((
        Figure("Income", totals.income), Figure("Spending", totals.spending),
        Figure("Net (income − spending)", totals.net),
        Figure("Transactions counted", totals.transactions, COUNT),
    ), data.currency, styles))
    for note in data.notes:
        story += [Spacer(1, 3 * mm), Paragraph(_escape(note), styles["muted"])]
    story.append(PageBreak())
    return story


def _section(section: Section, currency: str, styles: dict[str, ParagraphStyle]) -> list[Any]:
    story: list[Any] = [CondPageBreak(60 * mm), Paragraph(_escape(section.title), styles["h1"])]
    if section.figures:
        story += [_figures_table(section.figures, currency, styles), Spacer(1, 4 * mm)]
    if section.chart is not None and not section.chart.is_empty:
        story += [KeepTogether([_chart(section.chart, currency)]), Spacer(1, 2 * mm)]
    for table in section.tables:
        story.append(Paragraph(_escape(table.title), styles["h2"]))
        if table.rows:
            story.append(_data_table(table, currency, styles))
        else:
            story.append(Paragraph(_escape(table.empty_text), styles["muted"]))
        story.append(Spacer(1, 3 * mm))
    for note in section.notes:
        story.append(Paragraph(_escape(note), styles["muted"]))
    story.append(Spacer(1, 6 * mm))
    return story


def render_pdf(data: ReportData, progress: Progress | None = None) -> bytes:
    """The report's PDF bytes; `progress(percent, message)` hears of each section laid out."""
    styles = _styles()
    story = _cover(data, styles)
    for n, section in enumerate(data.sections, start=1):
        story += _section(section, data.currency, styles)
        if progress:
            progress(int(n * 50 / max(len(data.sections), 1)), f"Laid out {section.title}")
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
                            topMargin=MARGIN, bottomMargin=MARGIN + 4 * mm,
                            title=data.title, author="Ledgerly", subject=data.period_label)

    class Canvas(NumberedCanvas):
        footer_text = f"{data.title} · {data.household} · {data.period_label}"

    if progress:
        progress(60, "Drawing the pages")
    doc.build(story, canvasmaker=Canvas)
    return out.getvalue()

