"""Which service made an internal RPC: the actor of an audit entry for a read made by another
service (cases reading an appeal's subject while it opens a case, notifications its contact)."""

from nameko.extensions import DependencyProvider


class CallingService(DependencyProvider):
    """Injects the calling service's name from nameko's call id stack ("" when not known)."""

    def get_dependency(self, worker_ctx):
        parent = worker_ctx.immediate_parent_call_id or ""
        return parent.split(".", 1)[0] if parent else ""
