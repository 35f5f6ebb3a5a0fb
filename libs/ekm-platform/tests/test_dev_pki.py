"""`ekm run` makes development partner certificates once and starts partner inbound with them."""

import datetime
import sys

from cryptography import x509

from ekm_platform.dev_pki import ensure_partner_pki, partner_tls_environment
from ekm_platform.supervisor import PARTNER_INBOUND, programs


def test_development_certificates_are_made_once_and_last_a_year(tmp_path):
    folder = ensure_partner_pki(tmp_path / "pki")
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["ca.pem", "partner-dcz.key", "partner-dcz.pem", "server.key", "server.pem"]
    client = x509.load_pem_x509_certificate((folder / "partner-dcz.pem").read_bytes())
    assert client.subject.rfc4514_string() == "CN=partner-dcz"
    assert client.not_valid_after_utc - datetime.datetime.now(datetime.timezone.utc) > datetime.timedelta(days=300)
    assert oct((folder / "server.key").stat().st_mode & 0o777) == "0o600"
    before = (folder / "ca.pem").read_bytes()
    ensure_partner_pki(folder)
    assert (folder / "ca.pem").read_bytes() == before  # reused, not remade


def test_partner_inbound_runs_beside_the_gateway_where_certificates_are_configured(tmp_path, monkeypatch):
    monkeypatch.setenv("EKM_VAR_DIR", str(tmp_path / "var"))
    env = {}
    partner_tls_environment(env)
    assert env["EKM_PARTNER_TLS_CERT"] == str(tmp_path / "var" / "pki" / "server.pem")
    names = [p.name for p in programs(("registry-gateway",), simulators=False, env=env)]
    assert PARTNER_INBOUND in names
    partner = next(p for p in programs(("registry-gateway",), simulators=False, env=env) if p.name == PARTNER_INBOUND)
    assert partner.argv == [sys.executable, "-m", "registry_gateway.partner_inbound"]
    assert PARTNER_INBOUND not in [p.name for p in programs(("registry-gateway",), simulators=False, env={"X": "1"})]
    configured = {"EKM_PARTNER_TLS_CERT": "/etc/partner/server.pem"}
    partner_tls_environment(configured)
    assert configured == {"EKM_PARTNER_TLS_CERT": "/etc/partner/server.pem"}  # an operator's setting is kept
