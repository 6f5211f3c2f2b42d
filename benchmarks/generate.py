"""Seeded, realistic rosters and intakes for the benchmarks: a network of practices, mostly licensed in a
few states, with the spread of languages, specialties, faith integration and schedules a real roster has."""

import random
from typing import Any

from shared.domain.vocabulary import (
    Approach,
    Concern,
    CulturalBackground,
    Day,
    DayPart,
    FaithTradition,
    InsuranceCarrier,
    Jurisdiction,
    Language,
    Value,
)

STATES = ["US-CA", "US-NY", "US-TX", "US-WA", "US-OR", "US-IL", "CA-ON"]


def _some(rng: random.Random, values: list[Any], low: int, high: int) -> list[Any]:
    return rng.sample(values, rng.randint(low, high))


def counselor_dicts(count: int, seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    concerns = [c.value for c in Concern]
    out = []
    for i in range(count):
        primary = rng.sample(concerns, rng.randint(2, 4))
        out.append(
            {
                "counselor_id": f"c-bench{i:07d}",
                "version": 1,
                "name": f"Counselor {i}",
                "credentials": [rng.choice(["LMFT", "LCSW", "LPC", "PsyD", "PhD"])],
                "licensed_in": rng.sample(STATES, rng.choice([1, 1, 1, 2, 3]))
                if rng.random() < 0.9
                else [rng.choice([j.value for j in Jurisdiction])],
                "open_slots": rng.choice([0, 1, 1, 2, 2, 3, 4, 5, 8]),
                "accepting_new_clients": rng.random() < 0.9,
                "active": rng.random() < 0.95,
                "formats": rng.choice([["telehealth"], ["in_person"], ["telehealth", "in_person"]]),
                "offices": [{"label": "Office", "city": "City", "postal_code": f"{rng.randint(10000, 99999)}"}]
                if rng.random() < 0.6
                else [],
                "availability": [
                    {"day": d.value, "part": p.value} for d in Day for p in DayPart if rng.random() < 0.35
                ],
                "languages": ["en", *_some(rng, [x.value for x in Language if x.value != "en"], 0, 2)]
                if rng.random() < 0.95
                else _some(rng, [x.value for x in Language], 1, 2),
                "concerns_primary": primary,
                "concerns_experienced": [c for c in _some(rng, concerns, 3, 8) if c not in primary],
                "approaches": _some(rng, [a.value for a in Approach if a.value != "not_sure"], 1, 4),
                "service_types": rng.choice(
                    [
                        ["individual_adult"],
                        ["individual_adult", "couples"],
                        ["individual_adult", "teen", "family"],
                        ["teen", "child", "family"],
                    ]
                ),
                "age_bands": rng.choice(
                    [["young_adult", "adult", "older_adult"], ["child", "teen"], ["teen", "young_adult", "adult"]]
                ),
                "lgbtq_affirming": rng.random() < 0.6,
                "values_centered": _some(rng, [v.value for v in Value], 2, 5),
                "faith_integration": _some(rng, [f.value for f in FaithTradition], 0, 2) if rng.random() < 0.4 else [],
                "show_faith_integration": rng.random() < 0.8,
                "cultural_experience": _some(rng, [c.value for c in CulturalBackground], 1, 4),
                "cultural_identity": {
                    "value": _some(rng, [c.value for c in CulturalBackground], 1, 2),
                    "visibility": rng.choice(["public", "matching_only"]),
                }
                if rng.random() < 0.5
                else None,
                "gender": {"value": rng.choice(["woman", "man", "non_binary"]), "visibility": "public"}
                if rng.random() < 0.8
                else None,
                "insurance_panels": _some(rng, [c.value for c in InsuranceCarrier if c.value != "other"], 0, 4),
                "fee_per_session": rng.randrange(90, 260, 10),
                "sliding_scale_min": rng.randrange(40, 90, 10) if rng.random() < 0.3 else None,
                "directness": rng.choice(["direct", "balanced", "exploratory"]),
                "structure": rng.choice(["structured", "balanced", "open"]),
                "bio": "A short public bio. " * rng.randint(5, 20),
            }
        )
    return out  # fmt: skip


def intake_dicts(count: int, seed: int = 11) -> list[dict[str, Any]]:
    """Varied intakes, from one with few preferences to one with a must-have on nearly everything."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        must = rng.random() < 0.5

        def importance(must: bool = must) -> str:
            return rng.choice(["must_have" if must else "important", "important", "nice_to_have"])

        slots = [{"day": d.value, "part": p.value} for d in Day for p in DayPart if rng.random() < 0.3]
        concerns = rng.sample([c.value for c in Concern], rng.randint(1, 4))
        out.append(
            {
                "contact": {"name": f"Client {i}", "email": f"client{i}@example.org"},
                "consent": {"store_my_answers": True, "contact_me": True, "privacy_notice_version": "2026-11"},
                "client": {
                    "service_type": "individual_adult",
                    "age": rng.randint(18, 80),
                    "jurisdiction": rng.choice(STATES),
                },
                "format": {
                    "format": rng.choice(["telehealth", "either", "in_person"]),
                    "postal_code": "94110",
                    "availability": slots,
                    "availability_importance": importance() if slots else "important",
                },
                "payment": rng.choice(
                    [
                        {
                            "method": "self_pay",
                            "max_fee_per_session": rng.randrange(80, 250, 10),
                            "importance": importance(),
                        },
                        {
                            "method": "insurance",
                            "insurance_carrier": rng.choice(["aetna", "bcbs", "cigna", "medicaid"]),
                            "importance": importance(),
                        },
                    ]
                ),
                "languages": {
                    "languages": rng.choice([["en"], ["en", "es"], ["es"], ["zh", "en"]]),
                    "importance": "must_have",
                },
                "concerns": {"concerns": concerns, "primary": concerns[0]},
                "values": {"values": rng.sample([v.value for v in Value], 3), "importance": importance()},
                "culture": {
                    "backgrounds": ["hispanic_latino"],
                    "counselor_preference": rng.choice(["shares", "experienced"]),
                    "importance": importance(),
                },
                "faith": (
                    lambda role: {
                        "tradition": "christian",
                        "role": role,
                        "importance": "doesnt_matter" if role == "no_preference" else importance(),
                    }
                )(rng.choice(["integrate", "respect_secular", "no_preference"])),
                "counselor_gender": {"preferred": ["woman"], "importance": importance()},
                "identity": {"wants_affirming": True, "importance": importance()},
                "approach": {"preferred": ["cbt", "act"], "importance": "nice_to_have"},
                "style": {"directness": "direct", "importance": "nice_to_have"},
                "safety": "no",
            }
        )
    return out  # fmt: skip
