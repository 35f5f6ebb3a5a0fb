"""Printable documents as PDF, in Ukrainian: the Act of needs assessment (the layout of the form
approved by Order of the Ministry of Social Policy No. 1005), the individual plan and the
contract for a social service. fpdf2 with DejaVu Sans (Debian's fonts-dejavu-core, installed by
scripts/setup.sh; ``EKM_WEB_PDF_FONT_DIR`` to use another folder), embedded and subset, so
Cyrillic text is real text in the PDF (searchable, copyable, read by screen readers).

The functions take the services' protobuf messages and return bytes; they call nothing."""

from __future__ import annotations

import os
import pathlib
from datetime import datetime, timezone

from fpdf import FPDF
from fpdf.fonts import FontFace

FONT_DIR = pathlib.Path(os.environ.get("EKM_WEB_PDF_FONT_DIR", "/usr/share/fonts/truetype/dejavu"))

DOMAINS = {
    "health": "Стан здоров'я",
    "disability": "Інвалідність, функціональні обмеження",
    "mental_health": "Психічне здоров'я, психоемоційний стан",
    "self_care": "Самообслуговування, побутові навички",
    "employment": "Зайнятість, доходи",
    "social_contacts": "Соціальні зв'язки",
    "housing": "Житлово-побутові умови",
}
NEED_LEVELS = {0: "0 — потреби немає", 1: "1 — незначна", 2: "2 — помірна", 3: "3 — значна"}
COMPLEXITY = {"low": "низька", "medium": "середня", "high": "висока"}
CHANNELS = {"cabinet": "в електронному кабінеті", "in_person": "особисто"}
STEP_STATUS = {"planned": "заплановано", "in_progress": "виконується", "done": "виконано", "cancelled": "скасовано"}


class Document(FPDF):
    def __init__(self, title: str, reference: str):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.doc_title, self.reference = title, reference
        self.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_title(title)
        self.set_lang("uk")
        self.set_creator("ЕКМ")
        self.set_auto_page_break(True, margin=18)
        self.set_margins(18, 16, 14)
        self.add_page()

    def footer(self):
        self.set_y(-12)
        self.set_font("DejaVu", "", 8)
        self.cell(0, 5, f"{self.reference} · сторінка {self.page_no()} з {{nb}}", align="R")

    def heading(self, text: str, size: float = 14):
        self.set_font("DejaVu", "B", size)
        self.multi_cell(0, 7, text, align="C", new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def section(self, text: str):
        self.ln(2)
        self.set_font("DejaVu", "B", 11)
        self.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
        self.set_font("DejaVu", "", 10)

    def line_of(self, label: str, value: str):
        self.set_font("DejaVu", "B", 10)
        self.write(5.5, f"{label}: ")
        self.set_font("DejaVu", "", 10)
        self.write(5.5, value or "—")
        self.ln(6)

    def grid(self, header: list[str], rows: list[list[str]], widths: tuple | None = None):
        self.set_font("DejaVu", "", 8.5)
        with self.table(
            col_widths=widths,
            text_align="LEFT",
            line_height=4.6,
            headings_style=FontFace(emphasis="BOLD", fill_color=(235, 235, 235)),
        ) as table:
            head = table.row()
            for h in header:
                head.cell(h)
            for values in rows:
                row = table.row()
                for v in values:
                    row.cell(str(v) if v not in (None, "") else "—")
        self.set_font("DejaVu", "", 10)

    def signatures(self, *who: str):
        self.ln(6)
        for w in who:
            self.multi_cell(
                0,
                7,
                f"{w}: ____________________  (підпис)      «____» ____________ 20__ р.",
                new_x="LMARGIN",
                new_y="NEXT",
            )

    def bytes(self) -> bytes:
        self.alias_nb_pages()
        return bytes(self.output())


def _relation(catalogue, number) -> str:
    return catalogue.label("ekm.cases.v1.Relation", number, "uk") if catalogue else str(number)


def _ts(ts) -> str:
    return ts.ToDatetime(timezone.utc).strftime("%d.%m.%Y") if ts.seconds else ""


def assessment_act(case, assessment, scoring=None, catalogue=None, person_name: str = "") -> bytes:
    """Акт оцінки потреб сім'ї/особи (форма за наказом Мінсоцполітики № 1005)."""
    pdf = Document("Акт оцінки потреб сім'ї/особи", f"Випадок {case.case_number}, оцінка v{assessment.version}")
    pdf.set_font("DejaVu", "", 8)
    pdf.multi_cell(
        0,
        4,
        "Форма затверджена наказом Міністерства соціальної політики України № 1005",
        align="R",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.heading("АКТ\nоцінки потреб сім'ї/особи")
    pdf.section("1. Загальні відомості")
    pdf.line_of("Номер випадку", case.case_number)
    pdf.line_of("Особа, щодо якої проводиться оцінка", person_name)
    pdf.line_of("Громада (код КАТОТТГ)", case.community_code)
    pdf.line_of("Дата початку оцінки", assessment.started_on)
    pdf.line_of("Дата завершення оцінки", assessment.ended_on)
    pdf.line_of("Фахівець, який проводив оцінку", assessment.specialist_id)
    status = {"draft": "чернетка", "submitted": "подано на затвердження", "approved": "затверджено"}
    pdf.line_of("Версія та стан акта", f"{assessment.version}, {status.get(assessment.status, assessment.status)}")
    pdf.section("2. Склад сім'ї / домогосподарства")
    pdf.grid(
        [
            "№",
            "Прізвище, ім'я, по батькові",
            "Родинний зв'язок",
            "Дата народження",
            "Інвалідність",
            "Місце роботи / навчання",
            "Місце реєстрації",
            "Телефон",
        ],
        [
            [
                str(i),
                m.full_name,
                _relation(catalogue, m.relation),
                m.birth_date,
                m.disability,
                m.work_or_study,
                m.registration,
                m.phone,
            ]
            for i, m in enumerate(assessment.family, 1)
        ],
        widths=(6, 34, 22, 18, 18, 24, 28, 20),
    )
    pdf.section("3. Оцінка потреб за сферами життєдіяльності")
    levels = {d.domain: d for d in assessment.domains}
    pdf.grid(
        ["Сфера", "Рівень потреби", "Сильні сторони", "Примітки"],
        [
            [
                DOMAINS.get(code, code),
                NEED_LEVELS.get(levels[code].need_level, str(levels[code].need_level)) if code in levels else "—",
                levels[code].strengths if code in levels else "",
                levels[code].notes if code in levels else "",
            ]
            for code in DOMAINS
        ],
        widths=(45, 30, 48, 47),
    )
    pdf.section("4. Потреби дитини (дітей)")
    if assessment.children:
        pdf.grid(
            ["Дитина", "Рівень потреби", "Сильні сторони", "Примітки"],
            [
                [c.child_ref, NEED_LEVELS.get(c.need_level, str(c.need_level)), c.strengths, c.notes]
                for c in assessment.children
            ],
            widths=(45, 30, 48, 47),
        )
    else:
        pdf.multi_cell(0, 6, "Дітей у складі сім'ї не зазначено.", new_x="LMARGIN", new_y="NEXT")
    if assessment.contributions:
        pdf.section("5. Відомості інших суб'єктів взаємодії")
        pdf.grid(
            ["Установа", "Відомості"], [[c.agency_code, c.text] for c in assessment.contributions], widths=(40, 130)
        )
    pdf.section("6. Висновок")
    if scoring is not None:
        pdf.line_of("Складність випадку", COMPLEXITY.get(scoring.complexity, scoring.complexity))
        pdf.line_of("Потреба у тривалому веденні випадку", "так" if scoring.long_term else "ні")
        recommended = [
            catalogue.label("ekm.cases.v1.ServiceType", r.service_type, "uk") if catalogue else str(r.service_type)
            for r in scoring.recommendations
        ]
        pdf.line_of("Рекомендовані соціальні послуги", ", ".join(recommended))
        for reason in scoring.explanation[:12]:
            pdf.multi_cell(0, 5, f"• {reason.text_uk}", new_x="LMARGIN", new_y="NEXT")
    if assessment.approved_by:
        pdf.line_of("Затверджено керівником", assessment.approved_by)
    pdf.signatures("Фахівець із соціальної роботи", "Особа / законний представник", "Керівник (супервізор)")
    return pdf.bytes()


def individual_plan(case, plan, catalogue=None, person_name: str = "") -> bytes:
    """Індивідуальний план надання соціальних послуг."""
    pdf = Document("Індивідуальний план надання соціальних послуг", f"Випадок {case.case_number}, план v{plan.version}")
    pdf.heading("ІНДИВІДУАЛЬНИЙ ПЛАН\nнадання соціальних послуг")
    pdf.line_of("Номер випадку", case.case_number)
    pdf.line_of("Отримувач", person_name)
    pdf.line_of("Версія плану", str(plan.version))
    pdf.line_of("Затверджено", f"{plan.approved_by} {_ts(plan.approved_at)}".strip())
    agreed = f"{_ts(plan.agreed_at)} {CHANNELS.get(plan.agreement_channel, plan.agreement_channel)}".strip()
    pdf.line_of("Погоджено отримувачем", agreed)
    pdf.section("1. Цілі")
    goals = {g.goal_id: g for g in plan.goals}
    pdf.grid(
        ["№", "Сфера потреби", "Ціль"],
        [[str(i), DOMAINS.get(g.need_domain, g.need_domain), g.description] for i, g in enumerate(plan.goals, 1)],
        widths=(8, 50, 112),
    )
    pdf.section("2. Кроки (заходи)")
    pdf.grid(
        ["Захід", "Ціль", "Відповідальний", "Строк", "Стан"],
        [
            [
                s.what,
                goals[s.goal_id].description if s.goal_id in goals else s.goal_id,
                (catalogue.label("ekm.cases.v1.ResponsibleKind", s.responsible_kind, "uk") if catalogue else "")
                + (f" ({s.responsible_ref})" if s.responsible_ref else ""),
                s.due_on,
                STEP_STATUS.get(s.status, s.status),
            ]
            for s in plan.steps
        ],
        widths=(50, 40, 40, 20, 20),
    )
    pdf.section("3. Соціальні послуги")
    pdf.grid(
        ["Послуга", "Надавач", "Періодичність"],
        [
            [
                catalogue.label("ekm.cases.v1.ServiceType", s.service_type, "uk") if catalogue else str(s.service_type),
                s.provider,
                s.frequency,
            ]
            for s in plan.services
        ],
        widths=(60, 70, 40),
    )
    pdf.signatures("Фахівець із соціальної роботи", "Отримувач / законний представник")
    return pdf.bytes()


def contract(case, draft, catalogue=None, person_name: str = "") -> bytes:
    """Договір про надання соціальної послуги (з розрахунком плати та поясненням)."""
    pdf = Document(
        "Договір про надання соціальної послуги", f"Випадок {case.case_number}, договір {draft.contract_id[:8]}"
    )
    pdf.heading("ДОГОВІР\nпро надання соціальної послуги")
    service = catalogue.label("ekm.cases.v1.ServiceType", draft.service_type, "uk") if catalogue else ""
    made = draft.created_at.ToDatetime(timezone.utc) if draft.created_at.seconds else datetime.now(timezone.utc)
    pdf.line_of("Дата складання", made.strftime("%d.%m.%Y"))
    pdf.line_of("Надавач соціальної послуги", draft.provider)
    pdf.line_of("Отримувач соціальної послуги", person_name)
    pdf.line_of("Номер випадку", case.case_number)
    pdf.section("1. Предмет договору")
    pdf.multi_cell(
        0,
        5.5,
        f"Надавач зобов'язується надати Отримувачу соціальну послугу «{service}» відповідно до "
        "індивідуального плану, а Отримувач — отримувати її на умовах цього договору.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.section("2. Плата за послугу")
    if draft.free_of_charge:
        pdf.multi_cell(0, 5.5, "Послуга надається безоплатно.", new_x="LMARGIN", new_y="NEXT")
    else:
        pdf.multi_cell(
            0,
            5.5,
            f"Послуга надається з установленням диференційованої плати: {draft.amount} грн на місяць "
            f"(тариф {draft.tariff} грн).",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    categories = [
        catalogue.label("ekm.cases.v1.FeeCategory", c, "uk") if catalogue else str(c) for c in draft.categories
    ]
    if categories:
        pdf.line_of("Категорії отримувача", ", ".join(categories))
    pdf.section("Пояснення розрахунку")
    for line in draft.explanation:
        pdf.multi_cell(0, 5, f"• {line.split(' / ')[0]}", new_x="LMARGIN", new_y="NEXT")
    pdf.line_of("Версія правил", draft.rules_version)
    pdf.section("3. Права та обов'язки сторін")
    pdf.multi_cell(
        0,
        5.5,
        "Сторони діють відповідно до Закону України «Про соціальні послуги». Отримувач має право "
        "відмовитися від послуги, оцінити її якість і оскаржити рішення надавача.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.signatures("Надавач", "Отримувач / законний представник")
    return pdf.bytes()
