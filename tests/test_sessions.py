"""Sessions: local time in the municipality's zone, moves and their history, cancel and restore, materials."""

from __future__ import annotations

import io
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import unquote

import pytest
import sqlalchemy as sa
from conftest import text_of

from webapp.accounts.models import Role
from webapp.audit.models import AuditEntry
from webapp.sessions import services
from webapp.sessions.models import EventSession, SessionMaterial, SessionStatus


def _entries(db, session_id: int, action: str | None = None) -> list[AuditEntry]:
    stmt = sa.select(AuditEntry).where(AuditEntry.object_type == "session", AuditEntry.object_id == session_id)
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    return list(db.session.scalars(stmt.order_by(AuditEntry.id)))


@pytest.fixture
def ekb(make, db, auth):
    """A Yekaterinburg municipality (Мск+2) with a site, a published plan item and its methodist signed in."""
    m = make.municipality(name="Березовский ГО", timezone="Asia/Yekaterinburg")
    site = make.site(organization=make.organization(municipality=m, address="ул. Academic, 1"),
                     name="Площадка «Цифровая школа»")
    item = make.item(plan=make.plan(municipality=m))
    methodist = auth.login(make.user(Role.METHODIST, scope=m))
    return {"m": m, "site": site, "item": item, "user": methodist}


def _form(w, **changes) -> dict:
    body = {"title": "Семинар «Цифровые инструменты»", "site_id": str(w["site"].id), "municipality_id": "",
            "plan_item_id": str(w["item"].id), "delivery": "in_person", "address": "ул. Мира, 5",
            "start": "2031-03-12T10:00", "end": "2031-03-12T13:00", "capacity": "30", "timezone": "",
            "description": "Для учителей начальных классов"}
    body.update(changes)
    return body


def _data(w, **changes) -> dict:
    """What SessionForm.data holds for a valid submit: naive local times."""
    data = {"title": "Вебинар", "description": "", "plan_item_id": None, "site_id": w["site"].id,
            "municipality_id": None, "form_id": None, "direction_id": None, "audience_ids": [], "level": "",
            "start": datetime(2031, 3, 12, 10, 0), "end": datetime(2031, 3, 12, 13, 0), "timezone": "",
            "delivery": "in_person", "address": "", "online_url": "", "capacity": 30,
            "registration_opens": None, "registration_closes": datetime(2031, 3, 11, 18, 0),
            "approval_required": False}
    data.update(changes)
    return data


# -- time zones ------------------------------------------------------------------------------

def test_service_stores_utc_from_local_time_of_the_municipality(ekb, db):
    s = services.save_session(None, _data(ekb), ekb["user"])
    db.session.commit()
    db.session.expire_all()
    s = db.session.get(EventSession, s.id)
    # 10:00 in Yekaterinburg (UTC+5) is 05:00 UTC
    assert s.start_dt == datetime(2031, 3, 12, 5, 0, tzinfo=timezone.utc)
    assert s.end_dt == datetime(2031, 3, 12, 8, 0, tzinfo=timezone.utc)
    assert s.registration_closes_dt == datetime(2031, 3, 11, 13, 0, tzinfo=timezone.utc)
    assert s.timezone == "Asia/Yekaterinburg" and s.municipality_id == ekb["m"].id
    # an empty address is the host organization's
    assert s.address == "ул. Academic, 1"
    assert [e.action for e in _entries(db, s.id)] == ["created"]


def test_an_explicit_zone_overrides_the_municipality(ekb, db):
    s = services.save_session(None, _data(ekb, timezone="Europe/Moscow"), ekb["user"])
    assert s.start_dt == datetime(2031, 3, 12, 7, 0, tzinfo=timezone.utc) and s.timezone == "Europe/Moscow"


def test_created_session_page_shows_local_and_moscow_time(ekb, client, db):
    response = client.post("/sessions/new", data=_form(ekb))
    assert response.status_code == 303
    s = db.session.scalar(sa.select(EventSession))
    assert s.start_dt == datetime(2031, 3, 12, 5, 0, tzinfo=timezone.utc)
    assert response.headers["Location"].endswith(f"/sessions/{s.id}")
    page = text_of(client.get(f"/sessions/{s.id}"))
    assert "12 марта 2031, 10:00–13:00, Мск+2" in page
    assert "по московскому времени: 12 марта 2031, 08:00–11:00, Мск" in page
    assert "Мероприятие сохранено." in page
    # the edit form shows the local wall-clock time back, not UTC
    edit = client.get(f"/sessions/{s.id}/edit").get_data(as_text=True)
    assert 'value="2031-03-12T10:00"' in edit and 'value="2031-03-12T13:00"' in edit


# -- moving and editing ----------------------------------------------------------------------

def test_moving_a_session_bumps_revision_and_records_old_and_new(ekb, client, db):
    assert client.post("/sessions/new", data=_form(ekb)).status_code == 303
    s = db.session.scalar(sa.select(EventSession))
    assert s.revision == 1
    response = client.post(f"/sessions/{s.id}/edit", data=_form(ekb, start="2031-03-13T11:00",
                                                                 end="2031-03-13T14:00", address="ул. Ленина, 7"))
    assert response.status_code == 303
    db.session.expire_all()
    s = db.session.get(EventSession, s.id)
    assert s.revision == 2
    assert s.start_dt == datetime(2031, 3, 13, 6, 0, tzinfo=timezone.utc)
    moved = _entries(db, s.id, "moved")
    assert len(moved) == 1
    assert moved[0].actor_id == ekb["user"].id
    assert moved[0].changes["start_dt"] == ["12 марта 2031, 10:00, Мск+2", "13 марта 2031, 11:00, Мск+2"]
    assert moved[0].changes["address"] == ["ул. Мира, 5", "ул. Ленина, 7"]
    # the history on the page tells the methodist what moved
    page = text_of(client.get(f"/sessions/{s.id}"))
    assert "перенесено" in page and "«12 марта 2031, 10:00, Мск+2» → «13 марта 2031, 11:00, Мск+2»" in page


def test_switching_to_online_is_a_move(ekb, make, db):
    s = make.session(site=ekb["site"])
    db.session.commit()
    services.save_session(s, _data(ekb, title=s.title, delivery="online", online_url="https://vks.example/room",
                                   start=datetime(2031, 3, 12, 10), registration_closes=None), ekb["user"])
    assert s.revision == 2 and s.address == "" and s.online_url == "https://vks.example/room"
    assert _entries(db, s.id, "moved")


def test_editing_only_the_description_does_not_bump_revision(ekb, client, db):
    assert client.post("/sessions/new", data=_form(ekb)).status_code == 303
    s = db.session.scalar(sa.select(EventSession))
    response = client.post(f"/sessions/{s.id}/edit", data=_form(ekb, description="Возьмите ноутбуки"))
    assert response.status_code == 303
    db.session.expire_all()
    s = db.session.get(EventSession, s.id)
    assert s.revision == 1 and s.description == "Возьмите ноутбуки"
    assert [e.action for e in _entries(db, s.id)] == ["created", "updated"]
    assert _entries(db, s.id, "updated")[0].changes["description"] == ["Для учителей начальных классов",
                                                                      "Возьмите ноутбуки"]


def test_saving_unchanged_form_records_nothing(ekb, client, db):
    assert client.post("/sessions/new", data=_form(ekb)).status_code == 303
    s = db.session.scalar(sa.select(EventSession))
    assert client.post(f"/sessions/{s.id}/edit", data=_form(ekb)).status_code == 303
    db.session.expire_all()
    assert db.session.get(EventSession, s.id).revision == 1
    assert [e.action for e in _entries(db, s.id)] == ["created"]


def test_capacity_cannot_drop_below_seats_taken(ekb, make, client, db):
    s = make.session(site=ekb["site"], capacity=30, seats_taken=12)
    db.session.commit()
    response = client.post(f"/sessions/{s.id}/edit", data=_form(ekb, title=s.title, capacity="10"))
    assert response.status_code == 422
    assert "Нельзя меньше уже занятых мест (12)." in text_of(response)
    db.session.expire_all()
    assert db.session.get(EventSession, s.id).capacity == 30
    # exactly the seats taken is allowed
    assert client.post(f"/sessions/{s.id}/edit", data=_form(ekb, title=s.title, capacity="12")).status_code == 303
    db.session.expire_all()
    s = db.session.get(EventSession, s.id)
    assert s.capacity == 12 and s.free_seats == 0
    assert "мест нет (всего 12)" in text_of(client.get(f"/sessions/{s.id}"))


# -- cancel and restore ----------------------------------------------------------------------

def test_cancelled_session_stays_on_the_plan_marked_and_restore_brings_it_back(ekb, make, client, db):
    s = make.session(site=ekb["site"], plan_item=ekb["item"], title="Мастер-класс «Проектная задача»")
    db.session.commit()
    response = client.post(f"/sessions/{s.id}/cancel", data={"reason": "Болезнь ведущего"})
    assert response.status_code == 303
    home = text_of(client.get("/"))
    assert "Отменено Мастер-класс «Проектная задача»" in home
    assert "Болезнь ведущего" in home
    detail = text_of(client.get(f"/sessions/{s.id}"))
    assert "Мероприятие отменено: Болезнь ведущего" in detail
    db.session.expire_all()
    assert db.session.get(EventSession, s.id).revision == 2

    response = client.post(f"/sessions/{s.id}/restore")
    assert response.status_code == 303
    db.session.expire_all()
    s = db.session.get(EventSession, s.id)
    assert s.status == SessionStatus.SCHEDULED and s.cancel_reason == "" and s.revision == 3
    home = text_of(client.get("/"))
    assert "Мастер-класс «Проектная задача»" in home and "Отменено" not in home
    assert [e.action for e in _entries(db, s.id)] == ["cancelled", "restored"]


def test_cancel_needs_a_reason(ekb, make, client, db):
    s = make.session(site=ekb["site"])
    db.session.commit()
    response = client.post(f"/sessions/{s.id}/cancel", data={"reason": "  "})
    assert response.status_code == 422
    assert "Укажите причину — её увидят участники." in text_of(response)
    db.session.expire_all()
    assert db.session.get(EventSession, s.id).status == SessionStatus.SCHEDULED


# -- materials -------------------------------------------------------------------------------

def test_material_link_is_added_and_shown(ekb, make, client, db):
    s = make.session(site=ekb["site"])
    db.session.commit()
    response = client.post(f"/sessions/{s.id}/materials",
                           data={"title": "Запись вебинара", "url": "https://video.example/rec/1"})
    assert response.status_code == 303
    html = client.get(f"/sessions/{s.id}").get_data(as_text=True)
    assert 'href="https://video.example/rec/1"' in html and "Запись вебинара" in html
    material = db.session.scalar(sa.select(SessionMaterial))
    assert material.url == "https://video.example/rec/1" and not material.is_file


def test_material_file_upload_download_and_delete(ekb, make, client, db, app):
    s = make.session(site=ekb["site"])
    db.session.commit()
    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n" + bytes(range(256))
    response = client.post(f"/sessions/{s.id}/materials", content_type="multipart/form-data", data={
        "title": "Программа семинара", "url": "",
        "file": (io.BytesIO(pdf), "Программа семинара.pdf", "application/pdf")})
    assert response.status_code == 303
    material = db.session.scalar(sa.select(SessionMaterial))
    assert material.is_file and material.size == len(pdf) and material.file_name == "Программа семинара.pdf"
    stored = Path(app.config["UPLOAD_DIR"]) / material.stored_name
    assert stored.exists() and "Программа" not in material.stored_name  # never the user's name on disk

    page = client.get(f"/sessions/{s.id}")
    assert f"/sessions/{s.id}/materials/{material.id}" in page.get_data(as_text=True)
    assert "Программа семинара.pdf" in text_of(page)
    download = client.get(f"/sessions/{s.id}/materials/{material.id}")
    assert download.status_code == 200
    assert download.data == pdf
    assert download.mimetype == "application/pdf"
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert "Программа семинара.pdf" in unquote(disposition)

    material_id = material.id
    response = client.post(f"/sessions/{s.id}/materials/{material_id}/delete")
    assert response.status_code == 303
    assert db.session.scalar(sa.select(sa.func.count(SessionMaterial.id))) == 0
    assert not stored.exists()
    assert client.get(f"/sessions/{s.id}/materials/{material_id}").status_code == 404
    assert "Материалы пока не добавлены." in text_of(client.get(f"/sessions/{s.id}"))
    changes = [e.changes["materials"] for e in _entries(db, s.id, "updated")]
    assert changes == [["", "добавлен «Программа семинара»"], ["удалён «Программа семинара»", ""]]


def test_material_needs_a_link_or_a_file(ekb, make, client, db):
    s = make.session(site=ekb["site"])
    db.session.commit()
    response = client.post(f"/sessions/{s.id}/materials", data={"title": "Пусто", "url": ""})
    assert response.status_code == 422
    assert "Укажите ссылку или приложите файл." in text_of(response)
    assert db.session.scalar(sa.select(sa.func.count(SessionMaterial.id))) == 0
