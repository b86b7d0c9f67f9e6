"""The public plan page: filters, grouping, calendar, pagination, fragments, bad input."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from conftest import HX, text_of

from webapp.plan.models import PlanStatus
from webapp.sessions.models import Delivery, SessionStatus
from webapp.taxonomy.models import Audience, Direction, EventForm


def _soon(days: int) -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0, second=0) + timedelta(days=days)


def test_home_lists_upcoming_sessions_with_russian_dates(client, make, db):
    s = make.session(title="Мастер-класс по функциональной грамотности",
                     start=datetime(2031, 3, 12, 7, 0, tzinfo=timezone.utc))
    db.session.commit()
    response = client.get("/?year=2030")
    page = text_of(response)
    assert response.status_code == 200
    assert "Мастер-класс по функциональной грамотности" in page
    assert "12 марта 2031, 10:00–13:00, Мск" in page
    assert "Март 2031" in page  # grouped by month
    assert s.site.name in page
    assert "Свободно мест: 30 из 30" in page
    assert response.headers["Vary"] == "HX-Request" or "HX-Request" in response.headers["Vary"]


def test_htmx_request_gets_only_the_results_fragment(client, make, db):
    make.session(title="Вебинар для молодых педагогов", start=_soon(3))
    db.session.commit()
    full = client.get("/")
    fragment = client.get("/", headers=HX)
    assert "<html" in full.get_data(as_text=True)
    body = fragment.get_data(as_text=True)
    assert "<html" not in body and 'id="plan-results"' in body
    assert "Вебинар для молодых педагогов" in body


def test_filters_combine_and_keep_each_other(client, make, db):
    d1, d2 = Direction(name="ИКТ"), Direction(name="Воспитание")
    f1 = EventForm(name="Семинар")
    a1, a2 = Audience(name="Молодые педагоги"), Audience(name="Управленческие команды")
    db.session.add_all([d1, d2, f1, a1, a2])
    m1, m2 = make.municipality(name="Кореновский район"), make.municipality(name="Крымский район")
    site1 = make.site(organization=make.organization(municipality=m1))
    site2 = make.site(organization=make.organization(municipality=m2))
    match = make.session(site=site1, title="Подходит", direction=d1, form=f1, start=_soon(5))
    match.audiences = [a1]
    make.session(site=site2, title="Другая территория", direction=d1, form=f1, start=_soon(5)).audiences = [a1]
    make.session(site=site1, title="Другое направление", direction=d2, form=f1, start=_soon(5)).audiences = [a1]
    make.session(site=site1, title="Другая аудитория", direction=d1, form=f1, start=_soon(5)).audiences = [a2]
    make.session(site=site1, title="Дистанционно", direction=d1, form=f1, start=_soon(5),
                 delivery=Delivery.ONLINE, online_url="https://vks.example/1", address="").audiences = [a1]
    db.session.commit()
    page = text_of(client.get(f"/?municipality={m1.id}&direction={d1.id}&form={f1.id}&audience={a1.id}"
                              f"&delivery=in_person&site={site1.id}", headers=HX))
    assert "Подходит" in page
    for other in ("Другая территория", "Другое направление", "Другая аудитория", "Дистанционно "):
        assert other not in page
    assert "Найдено мероприятий: 1" in page


def test_free_text_search_is_case_insensitive_in_cyrillic(client, make, db):
    make.session(title="Педагогическая мастерская «Смысловое чтение»", start=_soon(2))
    make.session(title="Круглый стол", start=_soon(2))
    db.session.commit()
    page = text_of(client.get("/?q=СМЫСЛОВОЕ"))
    assert "Смысловое чтение" in page and "Круглый стол" not in page
    # every word must occur, in any order
    assert "Смысловое чтение" in text_of(client.get("/?q=чтение смысловое", headers=HX))
    assert "Смысловое чтение" not in text_of(client.get("/?q=чтение круглый", headers=HX))


def test_malformed_filters_are_ignored_not_errors(client, make, db):
    make.session(title="Устойчивый семинар", start=_soon(2))
    db.session.commit()
    for query in ("municipality=abc", "direction=-1", "form=99999999999999999999", "delivery=teleport",
                  "month=2027-13", "month=март", "year=abc", "page=-5", "page=zzz", "audience=1%27",
                  "q=" + "я" * 500, "q=%25_%5C", "view=map", "site=%C2%B2", "year=%C2%B2%C2%B2"):
        response = client.get(f"/?{query}")
        assert response.status_code == 200, query
        assert "Устойчивый семинар" in text_of(response) or "q=" in query, query


def test_past_sessions_hidden_by_default_and_shown_on_request(client, make, db):
    make.session(title="Прошедший семинар", start=datetime.now(timezone.utc) - timedelta(days=2))
    make.session(title="Будущий семинар", start=_soon(2))
    db.session.commit()
    page = text_of(client.get("/"))
    assert "Будущий семинар" in page and "Прошедший семинар" not in page
    assert "Прошедший семинар" in text_of(client.get("/?past=1"))


def test_draft_plan_sessions_are_not_public(client, make, db):
    draft = make.plan(status=PlanStatus.DRAFT)
    make.session(title="Сессия черновика", plan_item=make.item(plan=draft), start=_soon(3))
    make.session(title="Сессия опубликованного плана", plan_item=make.item(), start=_soon(3))
    db.session.commit()
    page = text_of(client.get("/"))
    assert "Сессия опубликованного плана" in page and "Сессия черновика" not in page


def test_cancelled_session_stays_visible_marked(client, make, db):
    make.session(title="Отменённый семинар", start=_soon(3), status=SessionStatus.CANCELLED,
                 cancel_reason="Карантин в школе")
    db.session.commit()
    page = text_of(client.get("/"))
    assert "Отменено Отменённый семинар" in page and "Карантин в школе" in page


def test_pagination_keeps_filters(client, make, db, app):
    site = make.site()
    for i in range(app.config["PER_PAGE"] + 5):
        make.session(site=site, title=f"Занятие {i:02d}", start=_soon(1) + timedelta(hours=i))
    db.session.commit()
    first = client.get(f"/?site={site.id}").get_data(as_text=True)
    assert f"site={site.id}" in first and "page=2" in first
    second = text_of(client.get(f"/?site={site.id}&page=2"))
    assert "Занятие 24" in second and "Занятие 00" not in second
    # a page past the end shows the last page rather than nothing
    assert "Занятие 24" in text_of(client.get(f"/?site={site.id}&page=999"))


def test_calendar_view_places_sessions_on_their_local_day(client, make, db):
    m = make.municipality(name="Березовский ГО", timezone="Asia/Yekaterinburg")
    site = make.site(organization=make.organization(municipality=m))
    # 20:30 UTC on 9 March is 01:30 on 10 March in Yekaterinburg
    make.session(site=site, title="Поздний вебинар", start=datetime(2031, 3, 9, 20, 30, tzinfo=timezone.utc),
                 timezone="Asia/Yekaterinburg")
    db.session.commit()
    html = client.get("/?view=calendar&year=2030&month=2031-03").get_data(as_text=True)
    assert "Март 2031" in html
    cell = html.split('<span class="day">10</span>')[1].split("</td>")[0]
    assert "Поздний вебинар" in cell and "01:30" in cell


def test_month_filter_limits_to_that_month(client, make, db):
    make.session(title="Апрельский", start=datetime(2031, 4, 10, 7, tzinfo=timezone.utc))
    make.session(title="Майский", start=datetime(2031, 5, 10, 7, tzinfo=timezone.utc))
    db.session.commit()
    page = text_of(client.get("/?year=2030&month=2031-04"))
    assert "Апрельский" in page and "Майский" not in page
