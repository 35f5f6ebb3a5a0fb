"""mTLS to a registry: certificates generated here, a real HTTPS simulator process."""

import subprocess
import sys
from datetime import date

import pytest

from ekm_platform.testing.pki import make_pki
from registry_gateway.adapters.border_guard import BorderGuardClient
from registry_gateway.domain.lookup import Query, RegistryUnavailable

pytestmark = pytest.mark.timeout(60)
QUERY = Query("3221512349", "", "CASE-2026-AAAAAAA", "оцінка потреб", "cm-7")


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="module")
def tls_simulator(pki):
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "registry_simulators",
            "--port",
            "0",
            "--tls-cert",
            str(pki / "server.pem"),
            "--tls-key",
            str(pki / "server.key"),
            "--tls-client-ca",
            str(pki / "ca.pem"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        port = process.stdout.readline().split()[1]
        yield f"https://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(10)


def ask(base):
    return BorderGuardClient(f"{base}/border-guard", timeout=3).crossings(QUERY, date(2020, 1, 1), date(2026, 12, 31))


def test_the_registry_answers_with_our_client_certificate(tls_simulator, pki, monkeypatch):
    monkeypatch.setenv("EKM_XROAD_TLS_CERT", str(pki / "client.pem"))
    monkeypatch.setenv("EKM_XROAD_TLS_KEY", str(pki / "client.key"))
    monkeypatch.setenv("EKM_XROAD_TLS_CA", str(pki / "ca.pem"))
    assert ask(tls_simulator).found


def test_without_a_client_certificate_the_handshake_fails(tls_simulator, pki, monkeypatch):
    monkeypatch.delenv("EKM_XROAD_TLS_CERT", raising=False)
    monkeypatch.setenv("EKM_XROAD_TLS_CA", str(pki / "ca.pem"))
    with pytest.raises(RegistryUnavailable):
        ask(tls_simulator)
