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
