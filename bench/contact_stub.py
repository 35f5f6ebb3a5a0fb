"""The bench's stand-in for intake's ``get_applicant_contacts`` (a real nameko service over the real
broker, answering from memory: no appeal is stored for the 10,000 benchmark events).

    python -m bench.contact_stub AMQP_URI
"""

import eventlet

eventlet.monkey_patch()

import sys  # noqa: E402

from nameko.rpc import rpc  # noqa: E402
from nameko.runners import ServiceRunner  # noqa: E402


class ContactStub:
    name = "intake"

    @rpc
    def get_applicant_contacts(self, appeal_ids):
        return {a: {"appeal_id": a, "phone": "", "email": f"{a}@bench.example.org", "locale": "uk"} for a in appeal_ids}


def main() -> None:
    from nameko import config

    config.setup({"AMQP_URI": sys.argv[1], "max_workers": 50})
    runner = ServiceRunner()
    runner.add_service(ContactStub)
    runner.start()
    print("contact stub ready", flush=True)
    runner.wait()


if __name__ == "__main__":
    main()
