"""The timing parser: the period a plan item's «Сроки» cover, as the seeds' plans write them."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from webapp.demo import content
from webapp.plan.services import normalize_timing

#: a plan for one academic year, and a three-year programme in calendar years (seed 002)
YEAR = (date(2025, 9, 1), date(2026, 8, 31))
PROGRAMME = (date(2025, 1, 1), date(2027, 12, 31))
WHOLE_YEAR = YEAR
NOTHING = (None, None)


def d(text: str) -> date:
    return date.fromisoformat(text)


CASES = [
    # the phrases of the issue, in a one-year plan from September 2025
    ("Январь 2026", YEAR, (d("2026-01-01"), d("2026-01-31"))),
    ("Январь 2025", YEAR, (d("2025-01-01"), d("2025-01-31"))),  # outside the plan: kept as written
    ("Апрель–май, ежегодно", YEAR, (d("2026-04-01"), d("2026-05-31"))),
    ("Апрель - май ежегодно", YEAR, (d("2026-04-01"), d("2026-05-31"))),
    ("Декабрь, апрель", YEAR, (d("2025-12-01"), d("2026-04-30"))),
    ("Декабрь, апрель ежегодно", YEAR, (d("2025-12-01"), d("2026-04-30"))),
    ("Сентябрь 2026", YEAR, (d("2026-09-01"), d("2026-09-30"))),
    ("Сентябрь 2025", YEAR, (d("2025-09-01"), d("2025-09-30"))),
    ("2025–2027", YEAR, WHOLE_YEAR),
    ("2025 – 2027 гг.", YEAR, WHOLE_YEAR),
    ("В течение учебного года", YEAR, WHOLE_YEAR),
    ("Постоянно по запросам", YEAR, WHOLE_YEAR),
    ("4 раза в год", YEAR, WHOLE_YEAR),
    ("Ежегодно", YEAR, WHOLE_YEAR),
    ("ежегодно", YEAR, WHOLE_YEAR),
    ("I полугодие", YEAR, (d("2025-09-01"), d("2025-12-31"))),
    ("II полугодие", YEAR, (d("2026-01-01"), d("2026-05-31"))),
    ("1-е полугодие", YEAR, (d("2025-09-01"), d("2025-12-31"))),
    ("во втором полугодии", YEAR, (d("2026-01-01"), d("2026-05-31"))),
    ("Март 2026 г.", YEAR, (d("2026-03-01"), d("2026-03-31"))),
    ("до 25 мая", YEAR, (d("2025-09-01"), d("2026-05-25"))),
    # the same phrases in a 2025–2027 programme
    ("Январь 2025", PROGRAMME, (d("2025-01-01"), d("2025-01-31"))),
    ("Апрель–май, ежегодно", PROGRAMME, (d("2025-04-01"), d("2025-05-31"))),
    ("Сентябрь 2026", PROGRAMME, (d("2026-09-01"), d("2026-09-30"))),
    ("2025–2027", PROGRAMME, PROGRAMME),
    ("2025 – 2027 гг.", PROGRAMME, PROGRAMME),
    ("2025- 2027гг..", PROGRAMME, PROGRAMME),
    ("2026г.", PROGRAMME, (d("2026-01-01"), d("2026-12-31"))),
    ("В течение 2027 года", PROGRAMME, (d("2027-01-01"), d("2027-12-31"))),
    ("Ежегодно 2025- 2027гг.", PROGRAMME, PROGRAMME),
    ("Постоянно В течение 2025- 2027гг.", PROGRAMME, PROGRAMME),
    ("I полугодие", PROGRAMME, (d("2025-01-01"), d("2025-06-30"))),  # a calendar-year plan: calendar halves
    ("Март 2026 г.", PROGRAMME, (d("2026-03-01"), d("2026-03-31"))),
    ("Ежегодно", PROGRAMME, PROGRAMME),
    # more of what plans say
    ("II полугодие 2025", PROGRAMME, (d("2025-07-01"), d("2025-12-31"))),
    ("II полугодие 2025", YEAR, (d("2025-09-01"), d("2025-12-31"))),  # cut to the plan
    ("III квартал", PROGRAMME, (d("2025-07-01"), d("2025-09-30"))),
    ("IV квартал 2026", PROGRAMME, (d("2026-10-01"), d("2026-12-31"))),
    ("II четверть", YEAR, (d("2025-11-01"), d("2025-12-31"))),
    ("15.03.2026", YEAR, (d("2026-03-15"), d("2026-03-15"))),
    ("с 10 по 20 марта", YEAR, (d("2026-03-10"), d("2026-03-20"))),
    ("10–20 марта 2026", YEAR, (d("2026-03-10"), d("2026-03-20"))),
    ("с 1 марта", YEAR, (d("2026-03-01"), d("2026-08-31"))),
    ("до января 2026 г.", YEAR, (d("2025-09-01"), d("2026-01-31"))),
    ("Февраль-май 2021", YEAR, (d("2021-02-01"), d("2021-05-31"))),
    ("Апрель 2020-июнь 2021", YEAR, (d("2020-04-01"), d("2021-06-30"))),
    ("Декабрь–январь 2026", YEAR, (d("2025-12-01"), d("2026-01-31"))),
    ("Март 2026 – май", YEAR, (d("2026-03-01"), d("2026-05-31"))),
    ("Июль–сентябрь", YEAR, (d("2026-07-01"), d("2026-08-31"))),
    ("Февраль Ноябрь (ежегодно)", YEAR, (d("2025-11-01"), d("2026-02-28"))),
    ("Ноябрь - декабрь, ежегодно", YEAR, (d("2025-11-01"), d("2025-12-31"))),
    ("Январь (ежегодно)", YEAR, (d("2026-01-01"), d("2026-01-31"))),
    ("сент. 2025", YEAR, (d("2025-09-01"), d("2025-09-30"))),
    ("в мае", YEAR, (d("2026-05-01"), d("2026-05-31"))),
    ("МАРТ 2026", YEAR, (d("2026-03-01"), d("2026-03-31"))),
    ("2025/2026 учебный год", PROGRAMME, (d("2025-09-01"), d("2026-08-31"))),
    ("В течение периода", YEAR, WHOLE_YEAR),
    ("2 раза в год", YEAR, WHOLE_YEAR),
    ("ежемесячно", YEAR, WHOLE_YEAR),
    # not a period: kept as text
    ("по графику", YEAR, NOTHING),
    ("по согласованию", YEAR, NOTHING),
    ("маршрут", YEAR, NOTHING),  # «мар…» is not March here
    ("декада", YEAR, NOTHING),
    ("", YEAR, NOTHING),
    ("   ", YEAR, NOTHING),
    ("31 февраля", YEAR, (d("2026-02-01"), d("2026-02-28"))),  # no such day: the month is still said
]


@pytest.mark.parametrize(("text", "plan", "expected"), CASES, ids=[f"{c[0]!r}-{c[1][0].year}{c[1][0].month:02}"
                                                                  for c in CASES])
def test_timing_phrases(text, plan, expected):
    assert normalize_timing(text, *plan) == expected


def test_every_timing_of_the_demo_plans_is_read():
    """The seeds' plans (the demo content): every timing gives a period; none is left as text."""
    texts = {item["timing_text"] for plan in content.PLANS for item in plan["items"]}
    unread = [t for t in texts if normalize_timing(t, date(2025, 9, 1), date(2028, 8, 31)) == NOTHING]
    assert not unread


def test_none_and_missing_plan_period_are_nothing():
    assert normalize_timing(None, *YEAR) == NOTHING
    assert normalize_timing("Март 2026", None, None) == NOTHING


_plan_starts = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))


@settings(max_examples=400, deadline=None)
@given(text=st.text(max_size=80), start=_plan_starts, days=st.integers(min_value=0, max_value=4000))
def test_never_raises_and_gives_an_ordered_period(text, start, days):
    plan_end = date.fromordinal(start.toordinal() + days)
    first, last = normalize_timing(text, start, plan_end)
    assert (first is None) == (last is None)
    if first is not None:
        assert first <= last


_words = st.sampled_from(["январь", "мая", "сент.", "декабрь", "II", "I", "полугодие", "квартал", "четверть", "до",
                          "с", "по", "–", "-", ",", "ежегодно", "в течение", "2025", "2027", "2099", "2000", "31",
                          "29", "0", "15.03.2026", "31.02.2026", "99.99.2026", "гг.", "учебного года", "31 февраля"])


@settings(max_examples=400, deadline=None)
@given(words=st.lists(_words, max_size=8), start=_plan_starts, days=st.integers(min_value=0, max_value=4000))
def test_never_raises_on_timing_like_word_salad(words, start, days):
    plan_end = date.fromordinal(start.toordinal() + days)
    first, last = normalize_timing(" ".join(words), start, plan_end)
    assert (first is None) == (last is None)
    if first is not None:
        assert first <= last
