"""The recipe for more than one machine, checked without a Docker engine or a cluster (there is none here): the
Kubernetes manifests against the schemas of a pinned Kubernetes version (kubernetes-validate), every YAML file
through yamllint, compose.yaml read as Compose reads it, and the HAProxy file its script fills in checked by HAProxy."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import kubernetes_validate
import pytest
import yaml
from yamllint import config as yamllint_config
from yamllint import linter

from tests.load.client import BALANCER_COOKIE

from .balancer import haproxy_path

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
KUBERNETES = "1.35.0"  # the schemas the manifests are checked against (kubernetes-validate ships them)
HEALTH = "/_stcore/health"


def manifests() -> dict[tuple[str, str], dict]:
    """Every Kubernetes object of deploy/kubernetes/, by (kind, name)."""
    found = {}
    for path in sorted((DEPLOY / "kubernetes").glob("*.yaml")):
        for document in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            found[document["kind"], document["metadata"]["name"]] = document
    return found


def test_every_yaml_file_passes_yamllint():
    conf = yamllint_config.YamlLintConfig(file=str(ROOT / ".yamllint.yaml"))
    files = sorted(DEPLOY.rglob("*.yaml"))
    assert len(files) >= 4
    problems = [f"{path.relative_to(ROOT)}:{p.line}: {p.message}" for path in files
                for p in linter.run(path.read_text(encoding="utf-8"), conf)]
    assert problems == []


def test_the_kubernetes_manifests_meet_the_pinned_schemas():
    objects = manifests()
    assert {kind for kind, _ in objects} == {"Deployment", "Service", "PodDisruptionBudget", "Ingress",
                                              "NetworkPolicy"}
    for document in objects.values():
        kubernetes_validate.validate(document, KUBERNETES, strict=True)  # raises on any error, unknown fields too


def test_the_app_deployment_is_probed_sized_and_given_redis_with_its_password():
    objects = manifests()
    app = objects["Deployment", "backprop-playground"]
    pods = app["spec"]["template"]
    (container,) = pods["spec"]["containers"]
    port = container["ports"][0]
    assert port["containerPort"] == 8501
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"] == {"path": HEALTH, "port": port["name"]}, probe
    assert set(container["resources"]["requests"]) == set(container["resources"]["limits"]) == {"cpu", "memory"}
    env = {e["name"]: e for e in container["env"]}
    secret = env["REDIS_PASSWORD"]["valueFrom"]["secretKeyRef"]
    assert env["ROOMS_REDIS_URL"]["value"] == "redis://:$(REDIS_PASSWORD)@playground-redis:6379/0"
    assert list(env).index("REDIS_PASSWORD") < list(env).index("ROOMS_REDIS_URL")  # (defined first: expanded)
    # The Service, the budget and the Ingresses reach these pods, on that port
    labels = pods["metadata"]["labels"]
    service = objects["Service", "backprop-playground"]
    assert service["spec"]["selector"] == labels == app["spec"]["selector"]["matchLabels"]
    assert service["spec"]["ports"][0]["targetPort"] == port["name"]
    assert objects["PodDisruptionBudget", "backprop-playground"]["spec"]["selector"]["matchLabels"] == labels
    # Redis: the same Secret's password, required; only the app's pods let in
    redis = objects["Deployment", "playground-redis"]["spec"]["template"]["spec"]["containers"][0]
    assert {e["name"]: e for e in redis["env"]}["REDIS_PASSWORD"]["valueFrom"]["secretKeyRef"] == secret
    assert redis["args"][redis["args"].index("--requirepass") + 1] == "$(REDIS_PASSWORD)"
    assert objects["Service", "playground-redis"]["spec"]["ports"][0]["port"] == 6379
    policy = objects["NetworkPolicy", "playground-redis"]["spec"]
    assert policy["ingress"][0]["from"][0]["podSelector"]["matchLabels"] == labels


def test_the_ingresses_keep_a_browser_on_its_replica_and_its_websocket_open():
    objects = manifests()
    ingresses = [doc for (kind, _), doc in objects.items() if kind == "Ingress"]
    paths = {}
    for ingress in ingresses:
        notes = ingress["metadata"]["annotations"]
        assert notes["nginx.ingress.kubernetes.io/affinity"] == "cookie"
        assert notes["nginx.ingress.kubernetes.io/session-cookie-name"] == BALANCER_COOKIE
        assert notes["nginx.ingress.kubernetes.io/session-cookie-path"] == "/"  # one cookie for page and websocket
        assert int(notes["nginx.ingress.kubernetes.io/proxy-read-timeout"]) >= 3600
        assert int(notes["nginx.ingress.kubernetes.io/proxy-send-timeout"]) >= 3600
        for rule in ingress["spec"]["rules"]:
            for path in rule["http"]["paths"]:
                assert path["backend"]["service"] == {"name": "backprop-playground", "port": {"name": "http"}}
                paths[path["path"]] = notes
    affinity = [{k: v for k, v in notes.items() if "affinity" in k or "session-cookie" in k}
                for notes in paths.values()]
    assert affinity[0] == affinity[1]  # the same cookie, whichever Ingress a request meets
    websocket = paths["/_stcore/stream"]
    assert websocket["nginx.ingress.kubernetes.io/limit-connections"] == "200"
    assert websocket["nginx.ingress.kubernetes.io/limit-rpm"] == "150"


def interpolated(text: str, env: dict[str, str]) -> str:
    """Compose's ${NAME}, ${NAME:-default} and ${NAME:?error} (the forms compose.yaml uses)."""

    def value(match: re.Match) -> str:
        name, form, rest = match.group(1), match.group(2) or "", match.group(3) or ""
        if env.get(name):
            return env[name]
        if form == ":?":
            raise KeyError(f"{name}: {rest}")
        return rest

    return re.sub(r"\$\{(\w+)(:-|:\?)?([^}]*)\}", value, text)


def compose(env: dict[str, str]) -> dict:
    return yaml.safe_load(interpolated((DEPLOY / "compose.yaml").read_text(encoding="utf-8"), env))


def test_compose_runs_haproxy_replicas_and_redis_with_a_password():
    with pytest.raises(KeyError, match="REDIS_PASSWORD"):  # no password, no start
        compose({})
    spec = compose({"REDIS_PASSWORD": "s3cret", "REPLICAS": "3"})
    services = spec["services"]
    assert set(services) == {"haproxy", "app", "redis"}
    app, haproxy, redis = services["app"], services["haproxy"], services["redis"]
    assert (DEPLOY / app["build"] / "Dockerfile").is_file()
    assert int(app["deploy"]["replicas"]) == int(haproxy["environment"]["REPLICAS"]) == 3
    assert app["environment"]["ROOMS_REDIS_URL"] == "redis://:s3cret@redis:6379/0"
    assert redis["command"][redis["command"].index("--requirepass") + 1] == "s3cret"
    assert "ports" not in redis and "ports" not in app  # only HAProxy faces clients
    mounted = {volume.split(":")[0] for volume in haproxy["volumes"]}
    assert mounted == {"./haproxy.cfg.template", "./haproxy-compose.sh"}
    assert all((DEPLOY / path).is_file() for path in mounted)
    assert haproxy["image"] == "haproxy:2.6" and haproxy["entrypoint"][-1].endswith("haproxy-compose.sh")
    # The script finds the replicas by the names Compose gives them
    script = (DEPLOY / "haproxy-compose.sh").read_text(encoding="utf-8")
    assert f"{spec['name']}-app-$i:8501" in script


def test_the_haproxy_file_compose_fills_in_is_valid(tmp_path):
    if haproxy_path() is None:
        pytest.skip("HAProxy is not installed (apt-get install -y haproxy)")
    config = tmp_path / "haproxy.cfg"
    env = {"REPLICAS": "3", "CONFIG": str(config), "PATH": f"{Path(haproxy_path()).parent}:/usr/bin:/bin"}
    done = subprocess.run([shutil.which("sh"), str(DEPLOY / "haproxy-compose.sh"), "-c"], capture_output=True,
                          text=True, timeout=60, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    text = config.read_text()
    servers = re.findall(r"^\s+server (r\d) (\S+) .*cookie (r\d)", text, re.M)
    assert servers == [(f"r{i}", f"backprop-playground-app-{i}:8501", f"r{i}") for i in (1, 2, 3)]
    assert "    bind :8080\n" in text and "LISTEN_ADDRESS" not in text.split("global", 1)[1]
    # the only warnings: the replicas' names do not resolve on this machine (Compose's network is not here)
    warnings = [line for line in (done.stdout + done.stderr).splitlines() if "WARNING" in line]
    assert warnings and all("could not resolve address 'backprop-playground-app-" in w for w in warnings), warnings
