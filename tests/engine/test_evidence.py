"""The evidence rule: precedence, latest within a source, age limit, peers' threshold."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skillmatrix.engine.evidence import (
    SOURCES,
    EvidenceItem,
    ProfileRule,
    age_cutoff,
    build_profile,
    build_profiles,
)

NOW = datetime(2026, 6, 30, 12, tzinfo=UTC)


def day(n: int) -> datetime:
    """`n` days before NOW."""
    return NOW - timedelta(days=n)


def item(source: str, level: int | None, days_ago: int, aid: int, rater: int | None = None):
    return EvidenceItem("c", level, source, day(days_ago), aid, rater)


def test_manager_beats_a_newer_self_rating_and_says_so() -> None:
    profile = build_profile([item("self", 4, 1, 2), item("manager", 2, 100, 1)], now=NOW)
    entry = profile.get("c")
    assert entry is not None
    assert (entry.level, entry.source, entry.assessment_id) == (2, "manager", 1)
    assert entry.describe() == f"manager, {day(100).date().isoformat()}"


def test_calibrated_beats_an_older_manager_rating_and_the_latest_wins_within_a_source() -> None:
    items = [
        item("manager", 3, 400, 5),
        item("calibrated", 2, 300, 1),
        item("calibrated", 4, 200, 2),
    ]
    entry = build_profile(items, now=NOW).get("c")
    assert entry is not None
    assert (entry.level, entry.source, entry.assessment_id) == (4, "calibrated", 2)


def test_a_newer_manager_review_replaces_a_calibrated_level() -> None:
    items = [item("calibrated", 4, 200, 2), item("manager", 3, 10, 5), item("self", 5, 1, 6)]
    entry = build_profile(items, now=NOW).get("c")
    assert entry is not None
    assert (entry.level, entry.source, entry.assessment_id) == (3, "manager", 5)


def test_not_observed_never_erases_older_evidence() -> None:
    entry = build_profile([item("self", 3, 50, 1), item("manager", None, 1, 2)], now=NOW).get("c")
    assert entry is not None
    assert (entry.level, entry.source) == (3, "self")


def test_evidence_older_than_the_age_limit_does_not_count() -> None:
    items = [item("manager", 5, 800, 1), item("self", 2, 30, 2)]
    entry = build_profile(items, now=NOW).get("c")
    assert entry is not None
    assert entry.source == "self"
    longer = build_profile(items, now=NOW, rule=ProfileRule(max_age_months=36)).get("c")
    assert longer is not None
    assert (longer.level, longer.source) == (5, "manager")
    assert build_profile([item("self", 2, 800, 1)], now=NOW).get("c") is None


def test_age_cutoff_counts_calendar_months_and_clamps_the_day() -> None:
    assert age_cutoff(datetime(2026, 3, 31, tzinfo=UTC), 1) == datetime(2026, 2, 28, tzinfo=UTC)
    assert age_cutoff(datetime(2026, 1, 15, tzinfo=UTC), 24) == datetime(2024, 1, 15, tzinfo=UTC)
    assert age_cutoff(datetime(2026, 2, 28, tzinfo=UTC), 24) == datetime(2024, 2, 28, tzinfo=UTC)
    assert age_cutoff(datetime(2028, 2, 29, tzinfo=UTC), 12) == datetime(2027, 2, 28, tzinfo=UTC)


def test_one_interviewers_scorecard_never_counts_only_the_consensus() -> None:
    alone = [item("interview", 5, 1, 1, rater=7), item("self", 2, 2, 2)]
    entry = build_profile(alone, now=NOW).get("c")
    assert entry is not None
    assert entry.source == "self"
    consensus = [*alone, item("interview", 4, 3, 3)]
    entry = build_profile(consensus, now=NOW).get("c")
    assert entry is not None
    assert (entry.level, entry.source) == (4, "interview")


def test_peers_count_from_the_threshold_in_whole_batches_at_the_lower_median() -> None:
    two = [item("peer", 5, 10, 1, rater=1), item("peer", 1, 9, 2, rater=2)]
    base = [item("self", 2, 1, 9)]
    entry = build_profile(base + two, now=NOW).get("c")
    assert entry is not None
    assert entry.source == "self"
    # The same peer answering again replaces their answer; it is not a third peer.
    again = [*two, item("peer", 4, 5, 3, rater=2)]
    entry = build_profile(base + again, now=NOW).get("c")
    assert entry is not None
    assert entry.source == "self"
    three = [*again, item("peer", 3, 4, 4, rater=3)]
    entry = build_profile(base + three, now=NOW).get("c")
    assert entry is not None
    assert (entry.level, entry.source, entry.count, entry.assessment_id) == (4, "peer", 3, None)
    assert entry.describe().startswith("3 peers, ")
    # A fourth answer does not move what is published until a whole second batch is in.
    four = [*three, item("peer", 0, 2, 5, rater=4)]
    entry = build_profile(base + four, now=NOW).get("c")
    assert entry is not None
    assert (entry.level, entry.count) == (4, 3)
    # A higher threshold needs more peers.
    entry = build_profile(base + four, now=NOW, rule=ProfileRule(peer_threshold=4)).get("c")
    assert entry is not None
    assert (entry.level, entry.count) == (3, 4)


def test_rule_refuses_settings_that_would_give_a_peer_away() -> None:
    with pytest.raises(ValueError, match="at least 3"):
        ProfileRule(peer_threshold=2)
    with pytest.raises(ValueError, match="at least 1"):
        ProfileRule(max_age_months=0)
    with pytest.raises(ValueError, match="unknown evidence source"):
        EvidenceItem("c", 1, "boss", NOW)


def test_build_profiles_is_build_profile_per_person() -> None:
    items = {1: [item("self", 3, 1, 1)], 2: []}
    profiles = build_profiles(items, now=NOW)
    assert profiles[1].levels() == {"c": 3}
    assert len(profiles[2]) == 0


_items = st.lists(
    st.builds(
        EvidenceItem,
        competency=st.sampled_from(["a", "b"]),
        level=st.one_of(st.none(), st.integers(0, 5)),
        source=st.sampled_from(SOURCES),
        at=st.integers(0, 1000).map(day),
        assessment_id=st.integers(1, 50),
        rater=st.one_of(st.none(), st.integers(1, 6)),
    ),
    max_size=25,
    # One assessment rates a competency once.
    unique_by=lambda i: (i.competency, i.assessment_id),
)


@settings(max_examples=200, deadline=None)
@given(_items)
def test_profile_equals_a_literal_reading_of_the_rule(items: list[EvidenceItem]) -> None:
    """Recomputed the slow way: filter, then try each source in order."""
    profile = build_profile(items, now=NOW)
    cutoff = age_cutoff(NOW, 24)
    for competency in ("a", "b"):
        usable = [
            i
            for i in items
            if i.competency == competency
            and i.level is not None
            and i.at >= cutoff
            and not (i.source == "interview" and i.rater is not None)
        ]
        newest_review = max(
            ((i.at, i.assessment_id) for i in usable if i.source == "manager"), default=None
        )
        expected = None
        for source in SOURCES:
            mine = [i for i in usable if i.source == source]
            if source == "calibrated" and newest_review is not None:
                # A newer manager review replaces a calibrated level.
                mine = [i for i in mine if (i.at, i.assessment_id) > newest_review]
            if not mine:
                continue
            if source == "peer":
                per_rater = {}
                for i in sorted(mine, key=lambda i: (i.at, i.assessment_id)):
                    per_rater[i.rater] = i
                answers = sorted(per_rater.values(), key=lambda i: (i.at, i.assessment_id))
                n = len(answers) // 3 * 3
                if n == 0:
                    continue
                levels = sorted(i.level for i in answers[:n])
                expected = (levels[(n - 1) // 2], "peer")
            else:
                best = sorted(mine, key=lambda i: (i.at, i.assessment_id))[-1]
                expected = (best.level, source)
            break
        entry = profile.get(competency)
        assert (None if entry is None else (entry.level, entry.source)) == expected
