"""Reports and imports in a real browser (issue 7): a methodist imports a plan from Excel (a bad file
first, then a mapping step, the preview, the import, the same file again changing nothing); she
reads her reports on a phone and downloads one; a coordinator uploads her staff, and a new
colleague accepts the invitation e-mail.
"""

from __future__ import annotations

import io
import re
from contextlib import contextmanager
from datetime import date

import pytest
import sqlalchemy as sa
from openpyxl import Workbook, load_workbook
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

DEMO_PASSWORD = "demo12345"  # webapp/demo/seed.py
METHODIST = "metodist@demo.local"
COORDINATOR = "coordinator@demo.local"


@pytest.fixture
def server_db(e2e_app):
    from webapp.extensions import db

    @contextmanager
    def opened():
        with e2e_app.app_context():
            yield db.session

    return opened


def login(page, email: str) -> None:
    page.goto("/login")
    page.fill("#email", email)
    page.fill("#password", DEMO_PASSWORD)
    page.get_by_role("button", name="Войти").click()
    expect(page).to_have_url(re.compile(r"/$"))


def assert_fits(page, width: int) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"the page is wider than the screen: {scroll} > {width}"


def workbook(rows: list[list]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(page, name: str, data: bytes, mime: str, button: str) -> None:
    page.set_input_files("input[type=file]", {"name": name, "mimeType": mime, "buffer": data})
    page.get_by_role("button", name=button).click()


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PLAN_ROWS = [
    ["План сетевых мероприятий на 2026/2027 учебный год"],
    [],
    ["№ п/п", "Наименование мероприятия", "Срок", "Форма проведения", "Целевая аудитория", "Ответственные",
     "Примечание"],
    ["1", "Семинар «Функциональная грамотность на уроках математики»", "Январь 2027", "Семинар",
     "Учителя-предметники", "Методист ТМС", "в актовом зале"],
    ["2", "Круглый стол по наставничеству", "Апрель–май, ежегодно", "Круглй стол", "Молодые педагоги; Наставники",
     "Руководитель площадки", ""],
    ["3", "Консультации для молодых педагогов", "Постоянно по запросам", "Консультация", "Молодые педагоги", "", ""],
]


def test_methodist_imports_a_plan_from_excel(make_page, server_db, console, shot):
    from webapp.accounts.models import Role, User
    from webapp.plan.models import Plan, PlanItem, PlanKind, PlanStatus

    with server_db() as session:
        methodist = session.scalar(sa.select(User).where(User.email == METHODIST))
        municipality_id = sorted(methodist.scope_ids(Role.METHODIST))[0]
        plan = Plan(title="План для импорта (e2e)", kind=PlanKind.YEAR, municipality_id=municipality_id,
                    period_start=date(2026, 9, 1), period_end=date(2027, 8, 31), status=PlanStatus.DRAFT)
        session.add(plan)
        session.commit()
        plan_id = plan.id

    console.allow_status(422)
    page = make_page(width=390, height=844)
    login(page, METHODIST)
    page.goto(f"/plans/{plan_id}")
    page.get_by_role("link", name="Импорт из Excel").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Импорт")

    # a PDF renamed .xlsx: a clear message, the form again, nothing stored
    upload(page, "plan.xlsx", b"%PDF-1.4 not a table", XLSX, "Загрузить и проверить")
    expect(page.locator("#plan-upload")).to_contain_text("не книга Excel")

    # «Срок» and «Примечание» are not headers it knows: the mapping step, with its guesses
    upload(page, "plan.xlsx", workbook(PLAN_ROWS), XLSX, "Загрузить и проверить")
    expect(page).to_have_url(re.compile(r"/imports/\d+/mapping$"))
    page.get_by_role("button", name="Продолжить").click()
    expect(page).to_have_url(re.compile(r"/imports/\d+/preview"))
    assert_fits(page, 390)
    preview = page.locator("main")
    expect(preview).to_contain_text("Круглй стол")  # the form as written, with a suggestion
    expect(preview).to_contain_text("Круглый стол")
    page.get_by_role("button", name=re.compile(r"Импортировать: 3 новых")).click()
    expect(page).to_have_url(re.compile(r"/imports/\d+/result"))
    with server_db() as session:
        items = session.execute(sa.select(PlanItem.number, PlanItem.timing_text, PlanItem.period_start)
                                .where(PlanItem.plan_id == plan_id).order_by(PlanItem.position)).all()
    assert [(n, t) for n, t, _ in items] == [("1", "Январь 2027"), ("2", "Апрель–май, ежегодно"),
                                              ("3", "Постоянно по запросам")]
    assert items[0].period_start == date(2027, 1, 1)

    # the same file again: nothing to change
    page.goto(f"/imports/plans/{plan_id}/upload")
    upload(page, "plan.xlsx", workbook(PLAN_ROWS), XLSX, "Загрузить и проверить")
    page.get_by_role("button", name="Продолжить").click()
    expect(page).to_have_url(re.compile(r"/imports/\d+/preview"))
    expect(page.get_by_role("button", name=re.compile(r"Импортировать: 0 новых, 0 изменений"))).to_be_visible()
    shot(page, "imp-a-plan-again")
    console.assert_clean()


def test_methodist_reads_her_reports_on_a_phone(make_page, console, shot):
    page = make_page(width=390, height=844)
    login(page, METHODIST)
    page.goto("/reports/")
    for title in ("Выполнение плана", "Участие и посещаемость", "Карта взаимодействия школ", "Обратная связь",
                  "Показатели", "Годовой отчёт"):
        expect(page.get_by_role("link", name=title).first).to_be_visible()
    page.get_by_role("link", name="Выполнение плана").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Выполнение плана")
    expect(page.locator("main")).to_contain_text("По направлениям")
    assert_fits(page, 390)
    # her municipality only: another one is refused
    response = page.request.get("/reports/fulfilment?municipality=999999")
    assert response.status in (403, 404)

    page.get_by_role("link", name="Участие и посещаемость").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Участие и посещаемость")
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel").first.click()
    assert download.value.suggested_filename.endswith(".xlsx")
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    assert book.sheetnames, "the export has sheets"

    page.get_by_role("link", name="Годовой отчёт").first.click()
    expect(page.locator("main")).to_contain_text("1. Выполнение плана")
    expect(page.locator("main")).to_contain_text("5. Показатели")
    assert_fits(page, 390)
    shot(page, "imp-b-annual")
    console.assert_clean()


def test_coordinator_uploads_staff_and_a_colleague_accepts_the_invitation(make_page, server_db, console, shot):
    from webapp.accounts.models import User
    from webapp.mail.models import OutboxMessage

    staff = workbook([
        ["Фамилия", "Имя", "Отчество", "E-mail", "Должность", "Предметы", "Стаж"],
        ["Новикова", "Дарья", "Сергеевна", "novikova.e2e@mail.ru", "Учитель математики", "Математика", 2],
        ["Новикова", "Дарья", "Сергеевна", "NOVIKOVA.e2e@mail.ru", "", "", ""],  # the same person again
        ["Петров", "Иван", "", "petrov@", "Учитель физики", "Физика", "12 лет"],  # a broken e-mail
    ])
    page = make_page(width=390, height=844)
    login(page, COORDINATOR)
    page.goto("/school")
    page.get_by_role("link", name="Загрузить сотрудников из Excel").click()
    upload(page, "staff.xlsx", staff, XLSX, "Загрузить и посмотреть")
    expect(page).to_have_url(re.compile(r"/imports/\d+/people-preview"))
    assert_fits(page, 390)
    page.get_by_role("button", name=re.compile(r"Загрузить: 1 человек")).click()
    expect(page).to_have_url(re.compile(r"/imports/\d+/people-result"))
    with server_db() as session:
        people = session.scalars(sa.select(User).where(User.email == "novikova.e2e@mail.ru")).all()
        assert len(people) == 1 and people[0].password_hash == ""
        mail = session.scalars(sa.select(OutboxMessage).where(OutboxMessage.recipient == "novikova.e2e@mail.ru")
                               ).all()
        assert len(mail) == 1
        link = re.search(r"https?://\S+/invite/\S+", mail[0].body).group(0)

    colleague = make_page(width=390, height=844)
    colleague.goto(link)
    expect(colleague.locator("main")).to_contain_text("novikova.e2e@mail.ru")
    colleague.fill("#password", "new-password-1")
    colleague.fill("#password2", "new-password-1")
    colleague.check("#consent")
    colleague.get_by_role("button", name="Задать пароль и войти").click()
    expect(colleague).to_have_url(re.compile(r"/profile"))
    # the link is spent
    colleague.goto(link)
    expect(colleague.locator("main")).to_contain_text("Приглашение уже принято")
    console.allow_status(410)
    shot(colleague, "imp-c-invited")
    console.assert_clean()
