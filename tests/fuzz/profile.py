"""The hypothesis settings of the fuzz suite.

Profiles (``HYPOTHESIS_PROFILE``): ``ci`` (the default, in ``make test``: few examples,
derandomized, so that a run is repeatable and short) and ``thorough`` (``make fuzz``). No
example database is written anywhere (``database=None``): a failure prints its input.
``FUZZ`` applies the profile to these tests only (other suites keep their own settings).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_COMMON = dict(
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)
settings.register_profile("ci", max_examples=25, derandomize=True, **_COMMON)
settings.register_profile("thorough", max_examples=400, derandomize=False, **_COMMON)

PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
if PROFILE not in ("ci", "thorough"):
    PROFILE = "ci"
THOROUGH = PROFILE == "thorough"
FUZZ = settings(settings.get_profile(PROFILE))


def scaled(ci_examples: int, factor: int = 16) -> settings:
    """``ci_examples`` examples in the ci profile, ``factor`` times more in thorough."""
    return settings(FUZZ, max_examples=ci_examples * (factor if THOROUGH else 1))
