"""The weekly digest's core: ISO week ids and the grouping by company (no build)."""

import sys
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "plugins"))
from digest.weeks import group_by_company, week_bounds, week_id  # noqa: E402


def test_week_ids_follow_iso_weeks_across_year_ends_and_sort_by_date():
    assert week_id(datetime(2024, 3, 18, 23, 45)) == "2024-12"
    assert week_id(datetime(2024, 12, 30)) == "2025-01"  # ISO year 2025 starts on Monday 30 Dec
    assert week_id(datetime(2021, 1, 3)) == "2020-53"
    assert week_bounds("2025-01") == (date(2024, 12, 30), date(2025, 1, 5))
    days = [datetime(2023, 8, 21), datetime(2024, 1, 1), datetime(2024, 3, 4), datetime(2025, 1, 28)]
    assert [week_id(d) for d in days] == sorted(week_id(d) for d in days)


def test_each_story_once_under_its_first_company_biggest_groups_first_none_last():
    companies = {"a": ["openai", "microsoft"], "b": ["nvidia"], "c": [], "d": ["nvidia", "openai"],
                 "e": ["microsoft"], "f": ["nvidia"]}
    groups = group_by_company(list(companies), lambda s: companies[s], min_size=1)
    assert groups == [("nvidia", ["b", "d", "f"]), ("microsoft", ["e"]), ("openai", ["a"]),
                      (None, ["c"])]
    assert group_by_company(["x"], lambda s: []) == [(None, ["x"])]


def test_a_company_gets_a_heading_only_over_two_stories_or_more():
    companies = {"a": ["openai", "microsoft"], "b": ["nvidia"], "c": [], "d": ["nvidia"],
                 "e": ["microsoft"], "f": ["apple"]}
    groups = group_by_company(list(companies), lambda s: companies[s])
    # openai would hold a alone: a goes on to microsoft, which then has two; apple's one story
    # joins the others.
    assert groups == [("microsoft", ["a", "e"]), ("nvidia", ["b", "d"]), (None, ["c", "f"])]
    mixed = {"a": ["openai", "microsoft"], "b": ["nvidia"], "c": [], "d": ["nvidia", "openai"],
             "e": ["microsoft"], "f": ["apple"], "g": ["openai"]}
    groups = group_by_company(list(mixed), lambda s: mixed[s])
    assert all(len(members) >= 2 for company, members in groups if company)
    assert sorted(s for _, members in groups for s in members) == sorted(mixed)
    lone = {"a": ["openai"], "b": ["nvidia"]}
    assert group_by_company(list(lone), lambda s: lone[s]) == [(None, ["a", "b"])]


def test_a_weeks_dates_read_as_babel_writes_them_with_the_skeleton_matched_once():
    from babel.dates import format_interval

    from digest.weeks import DATES, interval_skeleton

    for locale in ("fr_FR", "en_US", "de_DE", "ja_JP"):
        for term_id in ("2024-01", "2024-05", "2024-09", "2024-52", "2025-01", "2020-53"):
            monday, sunday = week_bounds(term_id)  # within a month, across months, across years
            assert format_interval(monday, sunday, interval_skeleton(locale), locale=locale) == \
                format_interval(monday, sunday, DATES, locale=locale), (locale, term_id)
