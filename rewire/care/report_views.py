"""The printable report (care/report.py) as a page and as a PDF, always the signed-in person's
own: there is no id in the URL. Downloading the PDF is an export, so it asks for the password
again when the sign-in is old."""

import datetime as dt

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from rewire.accounts.reauth import recent_password_required
from rewire.care import pdf, report
from rewire.diary import trends
from rewire.measures import helplines
from rewire.measures.charts import score_chart
from rewire.measures.views import crisis_helplines

DATE_FORMAT = "%Y-%m-%d"
FIELDS = ("first", "last", "sections")


def _date_field(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        input_formats=[DATE_FORMAT],
        widget=forms.DateInput(attrs={"type": "date"}, format=DATE_FORMAT),
        error_messages={
            "required": "Enter a date.",
            "invalid": "Enter a date as year-month-day, such as 2026-03-01.",
        },
    )


class ReportForm(forms.Form):
    first = _date_field("From")
    last = _date_field("To")
    sections = forms.MultipleChoiceField(
        label="Sections",
        choices=list(report.SECTIONS.items()),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one section.",
            "invalid_choice": f"There is no section “%(value)s”. Choose from: "
            f"{', '.join(report.SECTIONS)}.",
        },
    )

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self):
        data = super().clean()
        if "first" in data and "last" in data:
            problems = report.period_problems(data["first"], data["last"], today=self.today)
            for name, reason in problems.items():
                self.add_error(name, reason)
        return data


def report_form(
    query, *, today: dt.date, defaults: bool, allowed: set[str] | None = None
) -> ReportForm:
    """The form bound to the query. With `defaults` and none of its fields in the query, bound
    to the last 28 days and every section, so that a bare /report shows something useful.
    `allowed`: the only sections that may be chosen (a clinician's: what the patient shares)."""
    allowed = set(report.SECTIONS) if allowed is None else allowed
    if defaults and not any(name in query for name in FIELDS):
        first, last = report.default_period(today)
        query = {
            "first": first.isoformat(),
            "last": last.isoformat(),
            "sections": [section for section in report.SECTIONS if section in allowed],
        }
    form = ReportForm(query, today=today)
    form.fields["sections"].choices = [
        (section, label) for section, label in report.SECTIONS.items() if section in allowed
    ]
    return form


def _query(form: ReportForm) -> str:
    data = form.cleaned_data
    return urlencode(
        {
            "first": data["first"].isoformat(),
            "last": data["last"].isoformat(),
            "sections": data["sections"],
        },
        doseq=True,
    )


def _dots(chart) -> str:
    """An SVG path of zero-length strokes, one round dot per point of a line_chart."""
    return " ".join(f"M{point.replace(',', ' ')}h0" for point in chart.points.split())


def _pain_chart(pain: report.PainSection, built: report.Report) -> dict | None:
    """The 7-day average as a line (a dot while it has one point), each day's average as a
    small dot behind it, on the same box."""
    if not pain.days:
        return None
    line = trends.line_chart(pain.rolling, first_day=built.first, last_day=built.last)
    daily = trends.line_chart(
        [(summary.day, summary.average) for summary in pain.days],
        first_day=built.first,
        last_day=built.last,
    )
    return {"line": line, "line_dots": _dots(line), "day_dots": _dots(daily)}


def _questionnaire_rows(section: report.QuestionnaireSection, built: report.Report) -> list:
    """(summary, chart) per instrument; a chart with two scores or more, with the bands as
    stripes where they depend on the total alone (not STarT Back's risk levels)."""
    rows = []
    for summary in section.instruments:
        definition = summary.instrument
        scored = [(score.day, score.total) for score in summary.scores if score.total is not None]
        chart = None
        if len(scored) > 1:
            striped = definition.validated and definition.scoring != "start_back"
            chart = score_chart(
                scored,
                lowest=definition.lowest,
                highest=definition.highest,
                bands=[(b.low, b.high, b.label) for b in definition.bands] if striped else [],
                higher_is_worse=definition.higher_is_worse,
                first_day=built.first,
                last_day=built.last,
            )
        rows.append((summary, chart))
    return rows


def page(request, person, form, *, form_url: str, pdf_url: str, heading: str = "Report"):
    """The report page for `person` (the signed-in person, or a clinician's patient)."""
    context = {
        "form": form,
        "report": None,
        "today": form.today,
        "form_url": form_url,
        "pdf_url": pdf_url,
        "heading": heading,
        "own": person == request.user,
    }
    if form.is_valid():
        data = form.cleaned_data
        built = report.build_report(
            person, first=data["first"], last=data["last"], sections=set(data["sections"])
        )
        context |= {"report": built, "query": _query(form)}
        if built.pain:
            context["pain_chart"] = _pain_chart(built.pain, built)
        if built.questionnaires:
            rows = _questionnaire_rows(built.questionnaires, built)
            context["questionnaire_rows"] = rows
            if any(summary.crisis_days for summary, _ in rows):
                context["helplines"] = crisis_helplines()
                context["default_advice"] = helplines.DEFAULT_ADVICE
    return render(request, "care/report.html", context, status=422 if form.errors else 200)


def pdf_download(person, form, *, back: str) -> HttpResponse:
    """The PDF of the report chosen on the page: nothing is guessed."""
    if not form.is_valid():
        lines = [f"{name}: {error}" for name, errors in form.errors.items() for error in errors]
        lines.append(f"Choose the period and the sections on {back}.")
        return HttpResponse(
            "The report cannot be made:\n" + "\n".join(lines) + "\n",
            status=422,
            content_type="text/plain; charset=utf-8",
        )
    data = form.cleaned_data
    built = report.build_report(
        person, first=data["first"], last=data["last"], sections=set(data["sections"])
    )
    response = HttpResponse(pdf.render(built), content_type="application/pdf")
    name = f"rewire-report-{built.first.isoformat()}-{built.last.isoformat()}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def report_page(request):
    form = report_form(request.GET, today=request.user.today(), defaults=True)
    return page(
        request, request.user, form, form_url=reverse("report"), pdf_url=reverse("report_pdf")
    )


@login_required
@require_GET
@recent_password_required
def report_pdf(request):
    form = report_form(request.GET, today=request.user.today(), defaults=False)
    return pdf_download(request.user, form, back=reverse("report"))
