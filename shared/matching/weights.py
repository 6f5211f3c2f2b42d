"""Every number the matching engine uses, in one place, with the reason for it.

A practice owner can read and change this file without reading the engine. The evidence is summarised
in docs/matching.md; the figures quoted here are as published.

Scores are built in whole "points" so ranking is exact: each factor contributes
    weight x level
where `level` runs from 0 (not met) to LEVEL_SCALE (fully met). The 0-100 score a person sees is that
sum divided by the most the intake could earn, so it reads as "percent of what this client asked for".
"""

from shared.domain.match import FactorName as FactorName  # defined with the match it names
from shared.domain.vocabulary import Importance

LEVEL_SCALE = 60
"""A level is in sixtieths, so halves, thirds, quarters and fifths are exact integers (no float ties)."""


IMPORTANCE_WEIGHT: dict[Importance, int] = {
    # Swift, Callahan, Cooper & Parkin 2018 (53 studies, >16,000 clients): clients whose preferences were
    # accommodated dropped out less (OR 1.79) and did better (d = 0.28), with no difference by preference
    # type. So no kind of preference outranks another by fiat: the client's own rating sets the weight.
    Importance.MUST_HAVE: 4,  # also filters (see RELAXATION_ORDER); slightly above "important" when ranking
    Importance.IMPORTANT: 3,
    Importance.NICE_TO_HAVE: 1,
    Importance.DOESNT_MATTER: 0,  # the factor is left out of the score entirely
}

FIXED_WEIGHT: dict[FactorName, int] = {
    # What brings the client is not a preference but the need itself, so it always counts.
    # Constantino et al. 2021 (JAMA Psychiatry 78(9)): patients matched to therapists with measured
    # strengths in their concern improved more. Until this practice has outcome data per concern,
    # a counselor's declared specialty is the best available (if weak) evidence, weighted as "important".
    FactorName.PRIMARY_CONCERN: 3,
    # The other concerns matter, but less than the one the client named first.
    FactorName.OTHER_CONCERNS: 1,
}

LOCATION_WEIGHT_IN_PERSON_ONLY = 3
"""An office close by matters when the client can only meet in person ("important")."""
LOCATION_WEIGHT_EITHER = 1
"""When either format is fine, a nearby office is a bonus ("nice to have")."""

UNDERSTANDING_WEIGHT = 2
"""Evidence from the bond: how the counselor's earlier clients rated their understanding of values, culture and
faith (the check-in's last item). Client-rated cultural competence tracks outcomes (Soto et al. 2018,
r = .38) where a counselor's own tags barely do (r = .06), so it counts whenever this client named values,
culture or faith as mattering. It is an average over other people, so it weighs a little less than what
this client rated "important" (3) and more than "nice to have" (1)."""
UNRATED_UNDERSTANDING_LEVEL = 45
"""A counselor with fewer ratings than the minimum is treated as rated 7.5 of 10 (45 of 60): no counselor
gains or loses for being new, and a rated one moves up or down from there with the evidence."""

# Partial credit, as a fraction of LEVEL_SCALE.
PRIMARY_CONCERN_EXPERIENCED = LEVEL_SCALE // 2
"""Experienced with the concern, but it is not one of their declared specialties."""
CULTURE_EXPERIENCED_WHEN_SHARED_ASKED = LEVEL_SCALE // 2
"""Cabral & Smith 2011: the wish for a same-background counselor is strong (d = .63) while outcomes
differ little (d = .09), so a counselor experienced with the background is a real, if partial, answer."""
FAITH_RESPECT_UNFAMILIAR = LEVEL_SCALE // 2
"""Every counselor commits to respect a client's faith; familiarity with the tradition earns the rest."""
STYLE_BALANCED = LEVEL_SCALE // 2
"""A counselor who balances both ends of a style meets a one-sided wish halfway."""
PAYMENT_SLIDING_SCALE_POSSIBLE = LEVEL_SCALE // 2
"""The full fee is above the client's limit, but the sliding scale could bring it within reach."""
AVAILABILITY_SLOTS_FOR_FULL_CREDIT = 3
"""Three shared time slots (or all the client gave, if fewer) leave room to schedule: full credit."""

RELAXATION_ORDER: tuple[FactorName, ...] = (
    # When fewer counselors than requested meet every must-have, must-haves are relaxed one at a time in
    # this order until enough counselors qualify. The research finds no preference type matters more than
    # another (Swift et al. 2018), so the order is practical: first what staff and client can most easily
    # work around together, last what the bond cannot do without.
    FactorName.AVAILABILITY,  # schedules often move once a counselor and client talk
    FactorName.STYLE,  # counselors adapt their style to a client
    FactorName.APPROACH,  # most clients are not attached to a named method once they meet
    FactorName.VALUES,
    FactorName.GENDER,
    FactorName.PAYMENT,  # cost drives dropout, so it is relaxed late
    FactorName.LGBTQ_AFFIRMING,  # an affirming counselor is a safety matter for many clients
    FactorName.FAITH,  # faith-accommodated care improves spiritual outcomes (g = .34-.43)
    FactorName.CULTURE,  # the strongest stated preference in the research (d = .63)
    FactorName.LANGUAGE,  # there is no bond without a shared language: relaxed last
)

DEFAULT_SUGGESTIONS = 3
MAX_SUGGESTIONS = 10
