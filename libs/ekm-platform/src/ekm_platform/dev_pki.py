"""Development certificates for partner inbound (HTTPS with mTLS), made by ``ekm run`` on
first run: a development CA, the server's certificate for 127.0.0.1 and one demo partner's
client certificate (common name ``partner-dcz``, the State Employment Service of
deploy/demo/partners.json), under ``var/pki/``. Never for production: there the partner
CA and the server certificate come from the operator (EKM_PARTNER_TLS_*)."""

from __future__ import annotations

import datetime
import os
import pathlib

from ekm_platform import config

DEMO_PARTNER = "partner-dcz"


def _fresh(path: pathlib.Path) -> bool:
    from cryptography import x509

    if not path.exists():
        return False
    expires = x509.load_pem_x509_certificate(path.read_bytes()).not_valid_after_utc
    return expires - datetime.datetime.now(datetime.timezone.utc) > datetime.timedelta(days=1)


def ensure_partner_pki(folder: pathlib.Path | None = None) -> pathlib.Path:
    """The development PKI folder (made, or remade when a certificate is about to expire)."""
    from ekm_platform.testing.pki import make_pki

    folder = folder or config.var_dir() / "pki"
    names = ("ca.pem", "server.pem", "server.key", f"{DEMO_PARTNER}.pem", f"{DEMO_PARTNER}.key")
    if not (
        all((folder / n).exists() for n in names)
        and _fresh(folder / "server.pem")
        and _fresh(folder / f"{DEMO_PARTNER}.pem")
    ):
        make_pki(folder, clients=(DEMO_PARTNER,), valid_for=datetime.timedelta(days=365))
        for key in folder.glob("*.key"):
            key.chmod(0o600)
    return folder


def partner_tls_environment(env=None) -> None:
    """Points EKM_PARTNER_TLS_* at the development PKI unless they are set already."""
    env = os.environ if env is None else env
    if env.get("EKM_PARTNER_TLS_CERT"):
        return
    folder = ensure_partner_pki()
    env.setdefault("EKM_PARTNER_TLS_CERT", str(folder / "server.pem"))
    env.setdefault("EKM_PARTNER_TLS_KEY", str(folder / "server.key"))
    env.setdefault("EKM_PARTNER_TLS_CLIENT_CA", str(folder / "ca.pem"))
