"""Digest periods: boundaries, DST transitions and time zones (hypothesis), and the planner across DST days."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from test_reminders_targets import webhook_fixture  # noqa: F401 - fixture

from calendar_svc.clock import fixed_clock
from calendar_svc.models import Delivery
from calendar_svc.reminders import WorkerOptions, run_pass
from calendar_svc.reminders import subscriptions as subs
from calendar_svc.reminders.digest import DigestSchedule, parse_weekday, validate
from calendar_svc.serialize import aware

# Zones with DST at 01:00 UTC, at local midnight, at half hours, southern hemisphere, none at all.
ZONES = (
    "Europe/Brussels", "Europe/London", "America/New_York", "America/Santiago", "America/Havana",
    "Australia/Lord_Howe", "Asia/Kolkata", "Pacific/Chatham", "UTC", "Africa/Casablanca",
)  # fmt: skip

schedules = st.builds(
    DigestSchedule,
    period=st.sampled_from(("daily", "weekly")),
    weekday=st.integers(0, 6),
    hour=st.integers(0, 23),
    timezone=st.sampled_from(ZONES),
)
moments = st.datetimes(
    min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2030, 12, 31), timezones=st.just(dt.UTC)
)


@settings(max_examples=400, deadline=None)
@given(schedules, moments)
def test_every_moment_falls_in_exactly_one_period(schedule, now):
    day = schedule.period_start(now)
    due, next_due = schedule.due_on(day), schedule.due_on(day + schedule.step)
    assert due <= now < next_due
    assert schedule.period_start(due) == day  # the period starts at its due moment ...
    assert schedule.period_start(next_due) == day + schedule.step  # ... and ends where the next one starts
    assert schedule.period_start(next_due - dt.timedelta(microseconds=1)) == day
    if schedule.period == "weekly":
        assert day.weekday() == schedule.weekday


@settings(max_examples=400, deadline=None)
@given(schedules, moments)
def test_due_moments_are_the_local_hour_and_a_day_or_week_apart(schedule, now):
    day = schedule.period_start(now)
    due, next_due = schedule.due_on(day), schedule.due_on(day + schedule.step)
    zone = ZoneInfo(schedule.timezone)
    local = due.astimezone(zone)
    wall = dt.datetime.combine(day, dt.time(schedule.hour))
    assert local.date() == day
    if local.replace(tzinfo=None) != wall:
        # only when that wall-clock time does not exist that day (a DST gap: PEP 495 gives the earlier
        # offset to fold=0) and then just after it
        assert wall.replace(tzinfo=zone, fold=0).utcoffset() < wall.replace(tzinfo=zone, fold=1).utcoffset()
        assert dt.timedelta(0) < local.replace(tzinfo=None) - wall <= dt.timedelta(hours=1)
    span = next_due - due
    # DST shifts are at most 1 hour (Lord Howe: 30 minutes)
    assert abs(span - schedule.step) <= dt.timedelta(hours=1)


@settings(max_examples=200, deadline=None)
@given(schedules, moments, st.integers(1, 24 * 30))
def test_period_keys_never_go_backwards(schedule, now, hours):
    later = now + dt.timedelta(hours=hours)
    first, second = schedule.period_start(now), schedule.period_start(later)
    assert first <= second
    assert (second - first).days % schedule.step.days == 0


def test_spring_forward_and_fall_back_in_brussels():
    nine = DigestSchedule("daily", 0, 9, "Europe/Brussels")
    assert nine.due_on(dt.date(2025, 3, 29)) == dt.datetime(2025, 3, 29, 8, tzinfo=dt.UTC)  # CET
    assert nine.due_on(dt.date(2025, 3, 30)) == dt.datetime(2025, 3, 30, 7, tzinfo=dt.UTC)  # CEST: 23 h later
    assert nine.due_on(dt.date(2025, 10, 26)) == dt.datetime(2025, 10, 26, 8, tzinfo=dt.UTC)  # 25 h later
    gap = DigestSchedule("daily", 0, 2, "Europe/Brussels")  # 02:00 does not exist on 30 March
    assert gap.due_on(dt.date(2025, 3, 30)) == dt.datetime(2025, 3, 30, 1, tzinfo=dt.UTC)  # 03:00 CEST
    twice = DigestSchedule("daily", 0, 2, "Europe/Brussels")  # 02:00 happens twice on 26 October
    assert twice.due_on(dt.date(2025, 10, 26)) == dt.datetime(2025, 10, 26, 0, tzinfo=dt.UTC)  # the first


def test_weekdays_and_validation():
    assert [parse_weekday(v) for v in ("monday", "Tue", "wednes", 3, "4", "SAT", "sun")] == [
        0,
        1,
        2,
        3,
        4,
        5,
        6,
    ]
    for bad in ("mo", "someday", 7, "-1", ""):
        with pytest.raises(ValueError, match="is not a weekday"):
            parse_weekday(bad)
    assert validate("weekly", "fri", 7, "Asia/Tokyo", 2) == DigestSchedule("weekly", 4, 7, "Asia/Tokyo")
    for args, message in (
        (("monthly", 0, 9, "UTC", 4), "digest must be one of daily, weekly"),
        (("daily", 0, 24, "UTC", 4), "hour"),
        (("daily", 0, True, "UTC", 4), "hour"),
        (("daily", 0, 9, "UTC", 0), "1 to 52 weeks"),
        (("daily", 0, 9, "Nowhere/Town", 4), "unknown time zone"),
    ):
        with pytest.raises(ValueError, match=message):
            validate(*args)


@pytest.mark.parametrize(
    ("first", "days"),
    [(dt.datetime(2025, 3, 28, tzinfo=dt.UTC), 4), (dt.datetime(2025, 10, 24, tzinfo=dt.UTC), 4)],
)
def test_hourly_passes_over_dst_send_one_daily_digest_per_local_day(sessions, webhook, first, days):
    with sessions.begin() as session:
        subs.create(
            session,
            subs.SubscriptionSpec(urls=[webhook.url("dst")], digest="daily", digest_empty=True),
            allow_list=("*",),
            now=first,
        )
    for hour in range(days * 24):
        when = first + dt.timedelta(hours=hour, minutes=30)
        run_pass(sessions, clock=fixed_clock(when), options=WorkerOptions(base_url="http://calendar.test"))
    with sessions() as session:
        rows = session.scalars(select(Delivery).order_by(Delivery.id)).all()
    brussels = ZoneInfo("Europe/Brussels")
    assert [r.variant for r in rows] == [
        (first.date() + dt.timedelta(days=n)).isoformat() for n in range(days)
    ]
    assert all(r.state == "sent" and r.attempts == 1 for r in rows)
    assert {aware(r.due_at).astimezone(brussels).hour for r in rows} == {9}
    assert len(webhook.posts) == days
