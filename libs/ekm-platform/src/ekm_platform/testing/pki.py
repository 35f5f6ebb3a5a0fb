"""A throwaway certificate authority for mTLS tests: a CA, a server certificate for
127.0.0.1, and client certificates whose common name is the client's identity."""

from __future__ import annotations

import datetime
import ipaddress
import pathlib

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def _certificate(common_name, issuer_name, key, issuer_key, ca=False, ip=None, valid_for=datetime.timedelta(hours=2)):
    now = datetime.datetime.now(datetime.timezone.utc)
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)]))
        .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer_name)]))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=1))
        .not_valid_after(now + valid_for)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if ip:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(ip))]), critical=False
        )
    return builder.sign(issuer_key, hashes.SHA256())


def make_pki(
    folder: pathlib.Path,
    clients: tuple[str, ...] = ("client",),
    valid_for: datetime.timedelta = datetime.timedelta(hours=2),
) -> pathlib.Path:
    """Writes ca.pem, server.pem/.key (for 127.0.0.1) and <client>.pem/.key into ``folder``,
    valid for two hours (``valid_for``; ``ekm run`` makes development ones for a year)."""
    folder.mkdir(parents=True, exist_ok=True)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    (folder / "ca.pem").write_bytes(
        _certificate("EKM test CA", "EKM test CA", ca_key, ca_key, ca=True, valid_for=valid_for).public_bytes(
            serialization.Encoding.PEM
        )
    )
    for name, ip in (("server", "127.0.0.1"),) + tuple((c, None) for c in clients):
        key = ec.generate_private_key(ec.SECP256R1())
        (folder / f"{name}.key").write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        (folder / f"{name}.pem").write_bytes(
            _certificate(name, "EKM test CA", key, ca_key, ip=ip, valid_for=valid_for).public_bytes(
                serialization.Encoding.PEM
            )
        )
    return folder
