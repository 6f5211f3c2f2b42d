"""How the match-quality report groups what it counts: match-score bands, how well each factor was met,
and how long clients waited for a counselor. Shared by the store (which counts) and the report (which
reads the counts), so the two cannot disagree."""

SCORE_BANDS: dict[str, str] = {
    "90": "90-100",
    "80": "80-89",
    "70": "70-79",
    "60": "60-69",
    "0": "Under 60",
    "none": "Not suggested",
}
"""Band key -> label. "none": a counselor assigned by override, who was not among the suggestions."""
UNSCORED_BAND = "none"

LEVEL_BUCKETS: dict[str, str] = {"met": "Fully met", "partial": "Partly met", "unmet": "Not met"}

WAIT_BUCKETS: dict[str, str] = {
    "d0": "Under 1 day",
    "d1": "1-2 days",
    "d2": "2-7 days",
    "w1": "1-2 weeks",
    "w2": "Over 2 weeks",
}


def score_band(score: int | None) -> str:
    if score is None:
        return UNSCORED_BAND
    for key in ("90", "80", "70", "60"):
        if score >= int(key):
            return key
    return "0"


def level_bucket(level: float) -> str:
    return "met" if level >= 1 else "partial" if level > 0 else "unmet"


def wait_bucket(hours: float) -> str:
    if hours < 24:
        return "d0"
    if hours < 48:
        return "d1"
    if hours < 24 * 7:
        return "d2"
    if hours < 24 * 14:
        return "w1"
    return "w2"
