"""The AMQP partner feed's listener takes partners by certificate: a RabbitMQ node of its own
(loopback, free ports) configured with docs/rabbitmq-partners-tls.conf and the test PKI
(ekm_platform.testing.pki). No certificate, another CA's or an expired one gets no connection,
a partner user cannot log in with a password, and the broker refuses a record whose
``user_id`` is another partner's — the sender of a record is the certificate."""

import datetime
import json
import os
import pathlib
import signal
import socket
import ssl
import subprocess
import time
import uuid

import pika
import pytest
from pika.credentials import ExternalCredentials, PlainCredentials

from ekm_platform.testing.pki import make_pki
from ekm_platform.testing.platform import free_port

pytestmark = [pytest.mark.integration, pytest.mark.timeout(120)]
ROOT = pathlib.Path(__file__).resolve().parents[1]
SERVER = "/usr/lib/rabbitmq/bin/rabbitmq-server"  # the server itself (/usr/sbin's wrapper switches user)
DEFINITIONS = {
    "users": [
        {"name": "partner-dcz", "password_hash": "", "hashing_algorithm": "rabbit_password_hashing_sha256", "tags": []}
    ],
    "vhosts": [{"name": "/"}],
    "permissions": [
        {"user": "partner-dcz", "vhost": "/", "configure": "^$", "write": r"^partner\.feed$", "read": "^$"}
    ],
    "exchanges": [
        {
            "name": "partner.feed",
            "vhost": "/",
            "type": "topic",
            "durable": True,
            "auto_delete": False,
            "internal": False,
            "arguments": {},
        }
    ],
    "queues": [{"name": "partner.feed.records", "vhost": "/", "durable": True, "auto_delete": False, "arguments": {}}],
    "bindings": [
        {
            "source": "partner.feed",
            "vhost": "/",
            "destination": "partner.feed.records",
            "destination_type": "queue",
            "routing_key": "#",
            "arguments": {},
        }
    ],
}


def listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


@pytest.fixture(scope="module")
def node(tmp_path_factory):
    if not os.path.exists(SERVER):
        pytest.skip("rabbitmq-server is not installed (`make setup`)")
    if not listening(4369):
        pytest.skip("no epmd on 127.0.0.1:4369 (it runs with the local RabbitMQ)")
    home = tmp_path_factory.mktemp("rabbit-tls")
    os.chmod(home, 0o755)
    pki = make_pki(home / "pki", clients=("partner-dcz",))
    rogue = make_pki(home / "rogue", clients=("partner-dcz",))
    expired = make_pki(home / "old", clients=("partner-dcz",), valid_for=datetime.timedelta(seconds=-30))
    (home / "ca-bundle.pem").write_bytes((pki / "ca.pem").read_bytes() + (expired / "ca.pem").read_bytes())
    for folder in (pki, rogue, expired):
        for file in folder.iterdir():
            file.chmod(0o644)  # the broker runs as this user here; in production a mounted secret
    port = free_port()
    template = (ROOT / "docs" / "rabbitmq-partners-tls.conf").read_text()
    conf = template.format(
        LISTEN=f"127.0.0.1:{port}",
        PARTNER_CA=home / "ca-bundle.pem",
        SERVER_CERT=pki / "server.pem",
        SERVER_KEY=pki / "server.key",
    )
    conf += (
        "listeners.tcp = none\nloopback_users = none\n"
        f"definitions.import_backend = local_filesystem\ndefinitions.local.path = {home / 'definitions.json'}\n"
    )
    (home / "rabbitmq.conf").write_text(conf)
    (home / "definitions.json").write_text(json.dumps(DEFINITIONS))
    (home / "enabled_plugins").write_text("[rabbitmq_auth_mechanism_ssl].\n")
    name = f"ekm-partner-tls-{uuid.uuid4().hex[:6]}@localhost"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "RABBITMQ_NODENAME": name,
        "RABBITMQ_DIST_PORT": str(free_port()),
        "RABBITMQ_MNESIA_BASE": str(home / "mnesia"),
        "RABBITMQ_LOG_BASE": str(home / "log"),
        "RABBITMQ_CONFIG_FILE": str(home / "rabbitmq"),
        "RABBITMQ_ADVANCED_CONFIG_FILE": str(home / "advanced.config"),
        "RABBITMQ_ENABLED_PLUGINS_FILE": str(home / "enabled_plugins"),
        "RABBITMQ_PLUGINS_EXPAND_BASE": str(home / "plugins"),
        "RABBITMQ_PID_FILE": str(home / "pid"),
        "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS": "-kernel inet_dist_use_interface {127,0,0,1} -start_epmd false",
    }
    process = subprocess.Popen(
        [SERVER], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 60
        while not listening(port):
            assert process.poll() is None, "the broker node stopped: " + " ".join(
                p.read_text()[-2000:] for p in (home / "log").glob("*.log")
            )
            assert time.monotonic() < deadline, "the broker node did not open its TLS listener in 60 s"
            time.sleep(0.3)
        yield {"port": port, "pki": pki, "rogue": rogue, "expired": expired}
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # the node stops cleanly on SIGTERM (faster than rabbitmqctl)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)


def connect(node, folder, credentials=None):
    context = ssl.create_default_context(cafile=str(node["pki"] / "ca.pem"))
    if folder is not None:
        context.load_cert_chain(str(folder / "partner-dcz.pem"), str(folder / "partner-dcz.key"))
    return pika.BlockingConnection(
        pika.ConnectionParameters(
            "127.0.0.1",
            node["port"],
            ssl_options=pika.SSLOptions(context, "127.0.0.1"),
            credentials=credentials or ExternalCredentials(),
            connection_attempts=1,
            socket_timeout=5,
        )
    )


def test_a_partner_with_its_certificate_publishes_as_itself_only(node):
    connection = connect(node, node["pki"])
    try:
        channel = connection.channel()
        channel.confirm_delivery()
        channel.basic_publish(
            "partner.feed", "employment.registered", b"{}", pika.BasicProperties(user_id="partner-dcz"), mandatory=True
        )  # routed and confirmed
        with pytest.raises(pika.exceptions.ChannelClosedByBroker, match="user_id"):
            channel.basic_publish(
                "partner.feed", "employment.registered", b"{}", pika.BasicProperties(user_id="partner-moz")
            )
    finally:
        if connection.is_open:
            connection.close()


@pytest.mark.parametrize("certificate", [None, "rogue", "expired"])
def test_no_certificate_another_cas_or_an_expired_one_gets_no_connection(node, certificate):
    with pytest.raises(pika.exceptions.AMQPConnectionError):
        connect(node, node[certificate] if certificate else None)


def test_a_partner_user_cannot_log_in_with_a_password(node):
    with pytest.raises(pika.exceptions.AMQPConnectionError):
        connect(node, node["pki"], PlainCredentials("partner-dcz", ""))
