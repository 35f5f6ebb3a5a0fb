"""Registry clients, created when the service starts (their WSDLs load on first use), each
behind its own bulkhead, circuit breaker, cache and retries (``EKM_REGISTRY_<NAME>_*``)."""

import os

from nameko.extensions import DependencyProvider

from registry_gateway.adapters.border_guard import BorderGuardClient
from registry_gateway.adapters.children import ChildrenClient
from registry_gateway.adapters.education import EducationClient
from registry_gateway.adapters.health_social import HealthClient, SocialRegistriesClient
from registry_gateway.domain.resilience import Policy, ResilientPort


class Registries(DependencyProvider):
    def setup(self):
        policy = Policy.from_environment("border_guard", os.environ)
        client = BorderGuardClient(timeout=policy.timeout)
        education = Policy.from_environment("education", os.environ)
        policies = {
            name: Policy.from_environment(name, os.environ) for name in ("health", "disability", "housing", "children")
        }
        social = SocialRegistriesClient(timeout=policies["disability"].timeout)
        self.ports = {
            "border_guard": ResilientPort(client.crossings, policy),
            "education": ResilientPort(EducationClient(timeout=education.timeout).enrolments, education),
            "health": ResilientPort(HealthClient(timeout=policies["health"].timeout).records, policies["health"]),
            "disability": ResilientPort(social.disability, policies["disability"]),
            "housing": ResilientPort(social.housing, policies["housing"]),
            "children": ResilientPort(
                ChildrenClient(timeout=policies["children"].timeout).household_children, policies["children"]
            ),
        }

    def get_dependency(self, worker_ctx):
        return self.ports


class Feeds(DependencyProvider):
    """Registry feeds the gateway polls (each behind a circuit breaker)."""

    def setup(self):
        from registry_gateway.domain.resilience import CircuitBreaker

        self.border_guard = BorderGuardClient(timeout=Policy.from_environment("border_guard", os.environ).timeout)
        self.breaker = CircuitBreaker(threshold=3, reset_after=60)

    def new_returns(self, since):
        return self.breaker.call(lambda: self.border_guard.new_returns(since))

    def get_dependency(self, worker_ctx):
        return self
