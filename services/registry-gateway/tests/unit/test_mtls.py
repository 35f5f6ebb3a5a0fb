"""mTLS to a registry: certificates generated here, a real HTTPS simulator process."""
import datetime
import ipaddress
import subprocess
import sys
from datetime import date

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from registry_gateway.adapters.border_guard import BorderGuardClient
from registry_gateway.domain.lookup import Query, RegistryUnavailable

pytestmark = pytest.mark.timeout(60)
QUERY = Query("3221512349", "", "CASE-2026-AAAAAAA", "оцінка потреб", "cm-7")


def _write_key(key, path):
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))


def _cert(subject, issuer, key, issuer_key, ca=False, san=None):
    now = datetime.datetime.now(datetime.timezone.utc)
    builder = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
               .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now - datetime.timedelta(minutes=1)).not_valid_after(now + datetime.timedelta(hours=1))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if san:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(san))]),
                                        critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pki")
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _cert("EKM test CA", "EKM test CA", ca_key, ca_key, ca=True)
    (folder / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    for name, san in (("server", "127.0.0.1"), ("client", None)):
        key = ec.generate_private_key(ec.SECP256R1())
        _write_key(key, folder / f"{name}.key")
        cert = _cert(f"{name}.ekm.test", "EKM test CA", key, ca_key, san=san)
        (folder / f"{name}.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return folder


@pytest.fixture(scope="module")
def tls_simulator(pki):
    process = subprocess.Popen([sys.executable, "-m", "registry_simulators", "--port", "0",
                                "--tls-cert", str(pki / "server.pem"), "--tls-key", str(pki / "server.key"),
                                "--tls-client-ca", str(pki / "ca.pem")],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
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
