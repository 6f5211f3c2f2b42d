"""What the matching engine returns: ranked suggestions with a score, a breakdown and reasons. The models
live in the domain (shared/domain/match.py), so intakes can hold a match without depending on the engine."""

from shared.domain.match import ExplainedReason as ExplainedReason
from shared.domain.match import FactorScore as FactorScore
from shared.domain.match import MatchResult as MatchResult
from shared.domain.match import NoMatch as NoMatch
from shared.domain.match import NoMatchReason as NoMatchReason
from shared.domain.match import ReasonFit as ReasonFit
from shared.domain.match import ResultModel as ResultModel
from shared.domain.match import Suggestion as Suggestion
