"""A report (care/report.py) as a PDF: the pain chart drawn as vector lines, tables for the
rest. Plain Python, no Django: `render(report)` returns the PDF's bytes.

fpdf2's built-in Helvetica needs no font file, so nothing is read from the machine; it covers
Windows-1252 (Western European letters and typographic punctuation). Other characters, in an
activity's name for example, lose their accents or become "?" (see `pdf_text`).
"""

import datetime as dt
import unicodedata

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from rewire.care.report import (
    BodySection,
    ExposureSection,
    GoalsSection,
    InstrumentSummary,
    PainSection,
    PracticeSection,
    QuestionnaireSection,
    Report,
)

FONT = "Helvetica"
ENCODING = "cp1252"  # what the built-in fonts' WinAnsiEncoding holds
INK = (27, 31, 35)
MUTED = (74, 85, 96)
ACCENT = (31, 95, 91)
GRID = (212, 216, 220)
DAY_DOT = (140, 150, 160)
HEADINGS = FontFace(emphasis="BOLD", fill_color=(236, 240, 239))
CHART_HEIGHT = 55  # mm
LINE = 5  # mm, the height of a line of body text


def pdf_text(value) -> str:
    """Text the built-in font can show: accents dropped where the letter is missing, and
    any other character it cannot show as "?"."""
    text = str(value)
    try:
        text.encode(ENCODING)
        return text
    except UnicodeEncodeError:
        pass
    shown = []
    for character in text:
        try:
            character.encode(ENCODING)
            shown.append(character)
            continue
        except UnicodeEncodeError:
            pass
        base = "".join(
            part
            for part in unicodedata.normalize("NFKD", character)
            if not unicodedata.combining(part)
        )
        try:
            base.encode(ENCODING)
            shown.append(base or "?")
        except UnicodeEncodeError:
            shown.append("?")
    return "".join(shown)


def day(value: dt.date) -> str:
    return f"{value.day} {value:%b %Y}"


def one_decimal(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _plural(count: int, word: str, plural: str = "") -> str:
    return f"{count} {word if count == 1 else plural or word + 's'}"


class _Document(FPDF):
    def __init__(self, report: Report):
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.report = report
        self.core_fonts_encoding = ENCODING
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(auto=True, margin=18)
        self.set_title(pdf_text(f"Rewire report, {day(report.first)} to {day(report.last)}"))
        self.set_author(pdf_text(report.person))
        self.set_creator("Rewire")

    def footer(self):
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.set_text_color(*MUTED)
        self.cell(
            0,
            4,
            pdf_text(
                f"Rewire report for {self.report.person}, {day(self.report.first)} to "
                f"{day(self.report.last)} - page {self.page_no()} of {{nb}}"
            ),
            align="C",
        )

    # Building blocks

    def room_for(self, height: float) -> None:
        """Start a new page unless `height` mm still fit on this one."""
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()

    def heading(self, text: str) -> None:
        self.room_for(30)  # a heading never ends a page alone
        self.ln(4)
        self.set_font(FONT, "B", 14)
        self.set_text_color(*ACCENT)
        self.cell(0, 8, pdf_text(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(*INK)

    def subheading(self, text: str) -> None:
        self.room_for(22)
        self.ln(2)
        self.set_font(FONT, "B", 11)
        self.set_text_color(*INK)
        self.multi_cell(0, 6, pdf_text(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def paragraph(self, text: str, *, muted: bool = False, size: float = 10) -> None:
        self.set_font(FONT, "", size)
        self.set_text_color(*(MUTED if muted else INK))
        self.multi_cell(0, LINE, pdf_text(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(*INK)

    def grid(self, headings: list[str], rows: list[list[str]], widths, align) -> None:
        self.set_font(FONT, "", 9)
        self.set_fill_color(255, 255, 255)  # the chart's colour would fill every cell
        self.set_draw_color(*GRID)
        self.set_line_width(0.2)
        with self.table(
            col_widths=widths,
            text_align=align,
            headings_style=HEADINGS,
            borders_layout="HORIZONTAL_LINES",
            line_height=LINE,
            padding=(1, 1.5),
            width=self.epw,
        ) as table:
            for cells in [headings, *rows]:
                row = table.row()
                for cell in cells:
                    row.cell(pdf_text(cell))
        self.ln(2)


def render(report: Report) -> bytes:
    pdf = _Document(report)
    pdf.add_page()
    pdf.set_font(FONT, "B", 18)
    pdf.set_text_color(*INK)
    pdf.cell(0, 10, "Rewire report", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.paragraph(
        f"For {report.person}. Period: {day(report.first)} to {day(report.last)} "
        f"({_plural(report.days, 'day')}), dates in {report.timezone}. Made on "
        f"{day(report.made_on)}."
    )
    pdf.paragraph(
        "Sections: " + ", ".join(label for _, label in report.section_labels) + ". "
        "Written thoughts and notes are not part of this report. It describes what was "
        "recorded; it is not a diagnosis.",
        muted=True,
        size=9,
    )
    draw = {
        "pain": _pain,
        "body": _body,
        "questionnaires": _questionnaires,
        "practice": _practice,
        "exposure": _exposure,
        "goals": _goals,
    }
    for section, label in report.section_labels:
        pdf.heading(label)
        draw[section](pdf, getattr(report, section), report)
    return bytes(pdf.output())


# Sections


def _pain(pdf: _Document, pain: PainSection, report: Report) -> None:
    if not pain.days:
        pdf.paragraph("No check-ins in this period.")
        return
    pdf.paragraph(
        f"{_plural(pain.checkins, 'check-in')} on {pain.days_logged} of "
        f"{_plural(report.days, 'day')}; {_plural(pain.flares, 'flare')}. Average pain "
        f"{one_decimal(pain.average)} out of 10 (the mean of each day's average)."
    )
    if pain.first_week is not None or pain.last_week is not None:
        pdf.paragraph(
            f"First week {one_decimal(pain.first_week)}, last week "
            f"{one_decimal(pain.last_week)}. {_week_change_words(pain)}"
        )
    _pain_chart(pdf, pain, report)
    pdf.paragraph(
        "0 = no pain, 10 = worst imaginable. Grey dots: each day's average. Line: the 7-day "
        "average (days without a check-in are skipped, not counted as zero).",
        muted=True,
        size=8,
    )


def _week_change_words(pain: PainSection) -> str:
    if pain.change is None:
        return "A week without check-ins: no change to compare."
    return pain.change.words


def _pain_chart(pdf: _Document, pain: PainSection, report: Report) -> None:
    label_width = 7
    pdf.room_for(CHART_HEIGHT + 12)
    left = pdf.l_margin + label_width
    width = pdf.epw - label_width
    top = pdf.get_y() + 3
    bottom = top + CHART_HEIGHT
    span = max((report.last - report.first).days, 1)

    def x(when: dt.date) -> float:
        return left + (when - report.first).days / span * width

    def y(value: float) -> float:
        return bottom - value / 10 * CHART_HEIGHT

    pdf.set_font(FONT, "", 7)
    pdf.set_text_color(*MUTED)
    pdf.set_draw_color(*GRID)
    pdf.set_line_width(0.2)
    for value in range(0, 11, 2):
        pdf.line(left, y(value), left + width, y(value))
        pdf.set_xy(pdf.l_margin, y(value) - 2)
        pdf.cell(label_width - 1.5, 4, str(value), align="R")
    pdf.set_fill_color(*DAY_DOT)
    for summary in pain.days:
        pdf.circle(x(summary.day), y(summary.average), 0.55, style="F")
    pdf.set_draw_color(*ACCENT)
    pdf.set_fill_color(*ACCENT)
    points = [(x(when), y(value)) for when, value in pain.rolling]
    if len(points) > 1:
        pdf.set_line_width(0.7)
        pdf.polyline(points, style="D")
    elif points:
        pdf.circle(*points[0], 0.9, style="F")
    pdf.set_xy(left, bottom + 1)
    pdf.cell(width / 2, 4, day(report.first), align="L")
    pdf.cell(width / 2, 4, day(report.last), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*INK)
    pdf.set_line_width(0.2)
    pdf.ln(2)


def _body(pdf: _Document, body: BodySection, report: Report) -> None:
    if not body.checkins:
        pdf.paragraph("No check-ins in this period.")
        return
    if not body.rows:
        pdf.paragraph(f"No body areas marked in the {_plural(body.checkins, 'check-in')}.")
        return
    pdf.paragraph(
        f"Body areas were marked in {body.checkins_marked} of "
        f"{_plural(body.checkins, 'check-in')}. Most often marked first."
    )
    pdf.grid(
        ["Area", "Marked", "Of check-ins", "Average (0-10)", "Highest"],
        [
            [
                row.label,
                str(row.times),
                f"{row.share:.0%}",
                one_decimal(row.average),
                str(row.highest),
            ]
            for row in body.rows
        ],
        (4, 2, 2, 2, 2),
        ("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"),
    )


def _questionnaires(pdf: _Document, section: QuestionnaireSection, report: Report) -> None:
    if not section.instruments:
        pdf.paragraph("No questionnaires answered in this period.")
        return
    for summary in section.instruments:
        _instrument(pdf, summary)


def _instrument(pdf: _Document, summary: InstrumentSummary) -> None:
    instrument = summary.instrument
    title = instrument.name
    if instrument.short_name not in title:
        title += f" ({instrument.short_name})"
    pdf.subheading(title)
    if not instrument.validated:
        pdf.paragraph(
            "Rewire's own rating, not validated: no bands and no agreed meaningful change.",
            muted=True,
            size=9,
        )
    band_heading = "Risk level" if instrument.scoring == "start_back" else "Band"
    headings = ["Date", f"Score ({instrument.lowest}-{instrument.highest})"]
    if instrument.validated:
        headings.append(band_heading)
    rows = []
    for score in summary.scores:
        total = "not scored" if score.total is None else str(score.total)
        if score.prorated:
            total += " (prorated)"
        row = [day(score.day), total]
        if instrument.validated:
            band = score.band
            if band and score.subscale is not None:
                band += f" (psychosocial subscore {score.subscale} of 5)"
            row.append(band)
        rows.append(row)
    widths = (3, 2, 5) if instrument.validated else (3, 2)
    pdf.grid(headings, rows, widths, ("LEFT", "RIGHT", "LEFT")[: len(widths)])
    if summary.change is not None:
        pdf.paragraph(_change_words(summary))
    if summary.crisis_days:
        pdf.paragraph(
            "Item 9 (thoughts of being better off dead or of self-harm) was answered above 0 "
            "on " + ", ".join(day(when) for when in summary.crisis_days) + "."
        )


def _change_words(summary: InstrumentSummary) -> str:
    instrument, change = summary.instrument, summary.change
    scored = [score.total for score in summary.scores if score.total is not None]
    said = f"From {scored[0]} to {scored[-1]} in this period"
    if change.better is None:
        return f"{said}: no change."
    direction = "lower" if change.points < 0 else "higher"
    verdict = "better" if change.better else "worse"
    said += f": {_plural(abs(change.points), 'point')} {direction} ({verdict})"
    if change.meaningful is None:
        if not instrument.validated:  # said under its name already
            return f"{said}."
        return f"{said}. The {instrument.short_name} has no agreed smallest meaningful change."
    threshold = f"{instrument.mcid_points} points"
    if instrument.mcid_percent and change.better:
        threshold += f" or {instrument.mcid_percent}%"
    if change.meaningful:
        return f"{said}, at least {threshold}: a meaningful change."
    return f"{said}, less than {threshold}: it may be ordinary variation."


def _practice(pdf: _Document, practice: PracticeSection, report: Report) -> None:
    if practice.rows:
        pdf.paragraph(f"{_plural(practice.total, 'guided practice')} in this period.")
        pdf.grid(
            ["Practice", "Times", "Minutes", "Average before to after (pairs)"],
            [
                [
                    row.title,
                    str(row.count),
                    str(row.minutes),
                    "; ".join(
                        f"{rating.name} {one_decimal(rating.before)} to "
                        f"{one_decimal(rating.after)} ({rating.pairs})"
                        for rating in row.ratings
                    ),
                ]
                for row in practice.rows
            ],
            (4, 1.5, 1.5, 6),
            ("LEFT", "RIGHT", "RIGHT", "LEFT"),
        )
    else:
        pdf.paragraph("No guided practices in this period.")
    pdf.subheading("Programme sessions")
    if practice.sessions:
        pdf.grid(
            ["Session", "Title", "Completed"],
            [
                [str(session.number), session.title, day(session.day)]
                for session in practice.sessions
            ],
            (1.2, 8, 2.5),
            ("RIGHT", "LEFT", "LEFT"),
        )
    else:
        pdf.paragraph("No sessions completed in this period.")
    pdf.paragraph(
        f"{practice.sessions_done_by_end} of {practice.sessions_in_course} sessions done by "
        f"{day(report.last)}."
    )


def _exposure(pdf: _Document, exposure: ExposureSection, report: Report) -> None:
    _ladder(pdf, exposure)
    for plan in exposure.pacing:
        pdf.paragraph(
            f"Time-based pacing, {plan.activity} ({plan.activity_minutes} minutes, then a "
            f"{plan.break_minutes}-minute break): {_plural(plan.bouts, 'bout')}, "
            f"{_plural(plan.minutes, 'minute')} of activity in all, "
            f"{_plural(plan.breaks, 'break')}."
        )


def _ladder(pdf: _Document, exposure: ExposureSection) -> None:
    if not exposure.rungs:
        pdf.paragraph("No activities on the fear ladder by the end of this period.")
        return
    if exposure.tries:
        pdf.paragraph(
            f"{_plural(exposure.tries, 'try', 'tries')} finished in this period: pain predicted "
            f"{one_decimal(exposure.predicted_pain)} on average, pain there was "
            f"{one_decimal(exposure.actual_pain)}. The alarm was wrong (less pain than "
            f"predicted, or the feared thing did not happen) in {exposure.surprises} of them. "
            f"Marked mastered in the period: {exposure.mastered_in_period}."
        )
    else:
        pdf.paragraph("No tries finished in this period.")
    if exposure.unfinished:
        pdf.paragraph(
            f"{_plural(exposure.unfinished, 'try', 'tries')} still waiting for the outcome."
        )
    pdf.grid(
        [
            "Activity (easiest first)",
            "Fear 0-100",
            "Tries",
            "Predicted",
            "Actual",
            "Alarm wrong",
            "Mastered",
        ],
        [
            [
                rung.activity,
                str(rung.fear)
                if rung.fear_at_start in (None, rung.fear)
                else f"{rung.fear_at_start} to {rung.fear}",
                str(rung.tries),
                one_decimal(rung.predicted_pain),
                one_decimal(rung.actual_pain),
                str(rung.surprises),
                day(rung.mastered_on) if rung.mastered_on else "",
            ]
            for rung in exposure.rungs
        ],
        (5, 2, 1.3, 1.7, 1.5, 1.7, 2.3),
        ("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "LEFT"),
    )
    pdf.paragraph(
        "Fear: as rated by the end of the period (from its rating before the period, when it "
        "changed). Predicted and actual: the mean pain (0-10) of the tries in this period.",
        muted=True,
        size=8,
    )


def _goals(pdf: _Document, goals: GoalsSection, report: Report) -> None:
    if not goals.goals:
        pdf.paragraph("No goals named by the end of this period.")
        return
    pdf.paragraph(
        "How much the person did each thing that matters to them, rated weekly from 0 (not at "
        f"all) to 10 (as much as they wanted to). {goals.measure}",
        muted=True,
        size=9,
    )
    pdf.grid(
        ["Goal", "Weeks rated", "First week", "Latest week"],
        [
            [
                goal.title,
                str(goal.weeks_rated),
                f"{goal.first.done} ({day(goal.first.monday)})" if goal.first else "",
                f"{goal.latest.done} ({day(goal.latest.monday)})" if goal.latest else "",
            ]
            for goal in goals.goals
        ],
        (6.5, 2, 3.5, 3.5),
        ("LEFT", "RIGHT", "LEFT", "LEFT"),
    )
