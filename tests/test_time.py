"""Russian dates, time zones and the fuzzy-timing normalizer."""

from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from webapp.plan.services import normalize_timing, number_position
from webapp.timefmt import format_dt, format_range, to_utc, zone_label


def test_range_in_moscow_and_yekaterinburg():
    start = datetime(2027, 3, 12, 7, 0, tzinfo=timezone.utc)
    end = datetime(2027, 3, 12, 10, 0, tzinfo=timezone.utc)
    assert format_range(start, end, "Europe/Moscow") == "12 марта 2027, 10:00–13:00, Мск"
    assert format_range(start, end, "Asia/Yekaterinburg") == "12 марта 2027, 12:00–15:00, Мск+2"


def test_every_month_matches_babel_russian_genitive():
    from babel.dates import format_datetime

    for month in range(1, 13):
        moment = datetime(2027, month, 5, 9, 30, tzinfo=timezone.utc)
        expected = format_datetime(moment.astimezone(ZoneInfo("Europe/Moscow")), "d MMMM y, HH:mm", locale="ru_RU")
        assert format_dt(moment, "Europe/Moscow", with_zone=False) == expected


def test_local_entry_is_stored_as_utc():
    assert to_utc(datetime(2027, 3, 12, 10, 0), "Europe/Moscow") == datetime(2027, 3, 12, 7, 0, tzinfo=timezone.utc)
    assert zone_label("Europe/Samara") == "Мск+1"


def test_timing_phrases_from_the_plans():
    start, end = date(2026, 9, 1), date(2027, 8, 31)
    assert normalize_timing("Апрель–май, ежегодно", start, end) == (date(2027, 4, 1), date(2027, 5, 31))
    assert normalize_timing("Декабрь, апрель", start, end) == (date(2026, 12, 1), date(2027, 4, 30))
    assert normalize_timing("Январь 2027", start, end) == (date(2027, 1, 1), date(2027, 1, 31))
    assert normalize_timing("В течение учебного года", start, end) == (start, end)
    assert normalize_timing("Постоянно по запросам", start, end) == (start, end)
    assert normalize_timing("4 раза в год", start, end) == (start, end)
    assert normalize_timing("по согласованию", start, end) == (None, None)


@given(st.text(max_size=60))
def test_timing_never_crashes_and_keeps_order(text):
    start, end = normalize_timing(text, date(2026, 9, 1), date(2027, 8, 31))
    assert (start is None) == (end is None)
    if start is not None:
        assert start <= end


def test_item_numbers_sort_as_people_read_them():
    numbers = ["1.10", "1.2", "2", "1.9", "10", "1"]
    assert sorted(numbers, key=number_position) == ["1", "1.2", "1.9", "1.10", "2", "10"]
