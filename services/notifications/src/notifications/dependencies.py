"""The channel senders, created when the service starts (not at import)."""

from nameko.extensions import DependencyProvider

from notifications.adapters.channels import senders_from_environment


class Senders(DependencyProvider):
    def setup(self):
        self.senders = senders_from_environment()

    def stop(self):
        for sender in self.senders.values():
            close = getattr(sender, "close", None)
            if close:
                close()  # the kept-open SMTP connection

    def get_dependency(self, worker_ctx):
        return self.senders
