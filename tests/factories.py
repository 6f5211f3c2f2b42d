"""Builders for valid intakes and counselors: a test states only what it is about."""

import itertools
from typing import Any

from shared.domain.counselor import CounselorProfile
from shared.domain.intake import IntakeAnswers
from shared.matching.profile import MatchProfile
from shared.matching.roster import CompiledRoster

_ids = itertools.count(1)


def deep_merge(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def intake_body(**changes: Any) -> dict[str, Any]:
    """A valid intake as JSON-ready data: an adult in California, telehealth, anxiety, English."""
    base: dict[str, Any] = {
        "contact": {"name": "Sam Rivera", "email": "sam@example.org", "preferred_contact": "email"},
        "consent": {"store_my_answers": True, "contact_me": True, "privacy_notice_version": "2026-11"},
        "client": {"service_type": "individual_adult", "age": 34, "jurisdiction": "US-CA"},
        "format": {"format": "telehealth"},
        "payment": {"method": "self_pay", "max_fee_per_session": 200},
        "languages": {"languages": ["en"], "importance": "must_have"},
        "concerns": {"concerns": ["anxiety"], "primary": "anxiety"},
        "safety": "no",
    }
    return deep_merge(base, changes)


def an_intake(**changes: Any) -> IntakeAnswers:
    return IntakeAnswers.model_validate(intake_body(**changes))


def counselor_body(**changes: Any) -> dict[str, Any]:
    """A valid counselor who can see the default intake: licensed in California, telehealth, English."""
    base: dict[str, Any] = {
        "name": "Alex Morgan",
        "credentials": ["LPC"],
        "licensed_in": ["US-CA"],
        "open_slots": 2,
        "formats": ["telehealth"],
        "languages": ["en"],
        "service_types": ["individual_adult"],
        "age_bands": ["young_adult", "adult", "older_adult"],
        "fee_per_session": 150,
    }
    return deep_merge(base, changes)


def a_counselor(counselor_id: str | None = None, **changes: Any) -> CounselorProfile:
    cid = counselor_id or f"c-test{next(_ids):04d}"
    return CounselorProfile.model_validate({**counselor_body(**changes), "counselor_id": cid, "version": 1})


def a_roster(*counselors: CounselorProfile) -> CompiledRoster:
    return CompiledRoster(MatchProfile.from_profile(c) for c in counselors)


def weekday_schedule(**changes: Any) -> dict[str, Any]:
    """A schedule with openings every weekday, 9:00-17:00 in Los Angeles: a free 20-minute consult call by
    phone and a 50-minute first session by video, each with a 10-minute buffer."""
    base: dict[str, Any] = {
        "time_zone": "America/Los_Angeles",
        "windows": [{"day": d, "start": "09:00", "end": "17:00"} for d in ("mon", "tue", "wed", "thu", "fri")],
        "offers": [
            {"kind": "consult_call", "minutes": 20, "format": "phone", "buffer_minutes": 10},
            {"kind": "first_session", "minutes": 50, "format": "telehealth", "buffer_minutes": 10},
        ],
    }
    return deep_merge(base, changes)
