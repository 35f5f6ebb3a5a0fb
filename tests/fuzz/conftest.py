"""Fuzzing the boundaries (issue 12 item 3): property-based tests over every gRPC request,
partner-feed payload, identifier validator and a corpus of hostile XML. Profiles: profile.py."""
from tests.fuzz import profile  # noqa: F401  (registers the hypothesis profiles)
