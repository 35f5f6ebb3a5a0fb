"""Registry clients, created when the service starts (their WSDLs load on first use)."""
from nameko.extensions import DependencyProvider

from registry_gateway.adapters.border_guard import BorderGuardClient


class Registries(DependencyProvider):
    def setup(self):
        self.border_guard = BorderGuardClient()

    def get_dependency(self, worker_ctx):
        return {"border_guard": self.border_guard.crossings}
