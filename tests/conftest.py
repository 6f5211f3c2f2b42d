"""Defaults every test can rely on: fake AWS credentials and region, no X-Ray daemon, and a fixed
hypothesis profile.

Hypothesis profiles (`HYPOTHESIS_PROFILE`):
- `ci` (the default, what `make test` and CI run): derandomized and without an example database, so every run
  draws the same examples and a green run stays green;
- `fuzz` (`make fuzz-properties`): random, with many more examples (`FUZZ_PROPERTY_EXAMPLES`), keeping what it
  finds in `.hypothesis/` so a failure replays;
- `mutate` (`make mutate`): derandomized and fewer examples, since every mutant runs the tests again.
"""

import os
import warnings

from hypothesis import settings

os.environ.update(
    {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SECURITY_TOKEN": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "POWERTOOLS_TRACE_DISABLED": "1",
        "POWERTOOLS_METRICS_NAMESPACE": "CounselingIntakeTests",
    }
)
os.environ.pop("AWS_ENDPOINT_URL", None)
os.environ.pop("AWS_PROFILE", None)
warnings.filterwarnings("ignore", message="No application metrics to publish")

settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True)
settings.register_profile(
    "fuzz",
    derandomize=False,
    deadline=None,
    print_blob=True,
    max_examples=int(os.environ.get("FUZZ_PROPERTY_EXAMPLES", "2000")),
)
settings.register_profile("mutate", derandomize=True, database=None, deadline=None, max_examples=10)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

if settings().derandomize:
    # Hypothesis biases its choices toward constants it finds in the project's modules that happen to be
    # imported, so a derandomized test still draws different examples depending on which tests ran before
    # it in the same process (another xdist split, a single file, mutmut's runs). Without that pool, the
    # `ci` and `mutate` profiles draw the same examples however the suite is cut. (`fuzz` keeps it.)
    from hypothesis.internal.conjecture import providers as _providers
    from hypothesis.internal.constants_ast import Constants as _Constants

    _providers._get_local_constants = _Constants  # a fresh, empty pool every time
