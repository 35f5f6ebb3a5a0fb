"""The Kubernetes manifests parse and every kustomization refers to files that exist."""
import pathlib

import yaml

from ekm_platform import config

K8S = pathlib.Path(__file__).resolve().parent.parent / "deploy" / "k8s"


def test_manifests_parse_and_kustomizations_resolve():
    for path in K8S.rglob("*.yaml"):
        docs = [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d]
        assert docs, path
        if path.name == "kustomization.yaml":
            for entry in docs[0].get("resources", []) + docs[0].get("components", []):
                assert (path.parent / entry).exists(), f"{path}: {entry}"


def test_every_service_has_a_deployment_with_grpc_probes_on_its_port():
    for service in config.SERVICES:
        docs = list(yaml.safe_load_all((K8S / "base" / f"{service}.yaml").read_text(encoding="utf-8")))
        [deployment] = [d for d in docs if d["kind"] == "Deployment"]
        [container] = deployment["spec"]["template"]["spec"]["containers"]
        port = config.GRPC_PORTS[service]
        assert container["readinessProbe"]["grpc"]["port"] == port == container["livenessProbe"]["grpc"]["port"]
        # readiness: the whole check (database and broker); liveness: only whether the process answers,
        # so a database outage takes pods out of the Service without restarting them all
        assert "service" not in container["readinessProbe"]["grpc"]
        assert container["livenessProbe"]["grpc"]["service"] == "liveness"
        assert container["securityContext"]["readOnlyRootFilesystem"] is True
        assert container["resources"]["limits"]


def test_partner_inbound_runs_as_ekm_run_starts_it_with_its_certificates_mounted():
    from ekm_platform.supervisor import PARTNER_INBOUND, programs

    docs = list(yaml.safe_load_all((K8S / "base" / f"{PARTNER_INBOUND}.yaml").read_text(encoding="utf-8")))
    [deployment] = [d for d in docs if d["kind"] == "Deployment"]
    [container] = deployment["spec"]["template"]["spec"]["containers"]
    [program] = [p for p in programs(("registry-gateway",), simulators=False, env={"EKM_PARTNER_TLS_CERT": "x"})
                 if p.name == PARTNER_INBOUND]
    assert container["command"][1:] == program.argv[1:]
    env = {e["name"]: e.get("value") for e in container["env"]}
    mounts = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}
    assert all(env[f"EKM_PARTNER_TLS_{n}"].startswith(mounts["partner-tls"]) for n in ("CERT", "KEY", "CLIENT_CA"))
    assert container["readinessProbe"]["tcpSocket"]["port"] == 8443 == int(env["EKM_PARTNER_PORT"])
    assert container["securityContext"]["readOnlyRootFilesystem"] is True


def test_the_chatbot_webhook_runs_as_ekm_run_starts_it_with_its_bots_and_secrets():
    from ekm_platform.supervisor import programs

    docs = list(yaml.safe_load_all((K8S / "base" / "intake-webhook.yaml").read_text(encoding="utf-8")))
    [deployment] = [d for d in docs if d["kind"] == "Deployment"]
    [container] = deployment["spec"]["template"]["spec"]["containers"]
    [program] = [p for p in programs(("intake",), simulators=False, env={}) if p.name == "intake-webhook"]
    assert container["command"][1:] == program.argv[1:]
    env = {e["name"]: e for e in container["env"]}
    mounts = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}
    assert env["EKM_CHATBOTS_FILE"]["value"].startswith(mounts["chatbots"])
    [bots] = [d for d in docs if d["kind"] == "ConfigMap"]
    import json
    for bot in json.loads(bots["data"]["chatbots.json"]):  # secrets come from a Secret, never the ConfigMap
        assert "secret" not in bot and "secretKeyRef" in env[bot["secret_env"]]["valueFrom"]
    assert container["readinessProbe"]["httpGet"]["port"] == 8090 == int(env["EKM_CHATBOT_PORT"]["value"])
