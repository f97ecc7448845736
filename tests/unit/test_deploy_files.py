"""The production and edge deployment files hold together: restart policies, limits, no secret
in the repository, the clusters' members agree across files, and every metric the dashboard
and the alerts ask for is one the services expose."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from shared.metrics import ServiceMetrics
from shared.topology import SUBSCRIPTIONS

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
PRODUCTION = DEPLOY / "production"
EDGE = DEPLOY / "edge"
COMPOSE_FILES = [PRODUCTION / "docker-compose.yml", EDGE / "docker-compose.yml"]
SECRET_WORDS = re.compile(r"PASS|SECRET|TOKEN|COOKIE|KEY|PEPPER|_URL$|_URI$", re.IGNORECASE)
CREDENTIALS_IN_URL = re.compile(r"[a-z]+://[^/\s:@]+:(?!<)[^/\s@$]+@")  # <placeholder> allowed


def compose(path: Path) -> dict[str, Any]:
    loaded = yaml.safe_load(path.read_text())
    assert isinstance(loaded, dict)
    return loaded


@pytest.mark.parametrize("path", COMPOSE_FILES, ids=lambda p: p.parent.name)
def test_every_service_restarts_and_has_resource_limits(path: Path) -> None:
    for name, service in compose(path)["services"].items():
        assert service.get("restart") in {"unless-stopped", "always", "on-failure"}, name
        limits = service.get("deploy", {}).get("resources", {}).get("limits", {})
        assert {"cpus", "memory"} <= set(limits), f"{name} has no cpu and memory limits"


@pytest.mark.parametrize("path", COMPOSE_FILES, ids=lambda p: p.parent.name)
def test_no_secret_is_written_in_a_compose_file(path: Path) -> None:
    text = path.read_text()
    assert not CREDENTIALS_IN_URL.search(text), "a URL with a password"
    spec = compose(path)
    for name, service in spec["services"].items():
        for key, value in (service.get("environment") or {}).items():
            if SECRET_WORDS.search(key) and key != "SIGAP_PUBLIC_BASE_URL":
                # Only a path to a mounted secret, or an external MongoDB URL without password.
                assert str(value).startswith(("/run/secrets/", "mongodb://mongodb:")), (name, key)
    for secret in spec["secrets"].values():
        assert secret["file"].startswith("./secrets/"), secret


@pytest.mark.parametrize("folder", [PRODUCTION / "secrets", EDGE / "secrets"])
def test_secret_folders_keep_their_files_out_of_git(folder: Path) -> None:
    lines = (folder / ".gitignore").read_text().splitlines()
    ignore = [line for line in lines if line and not line.startswith("#")]
    assert ignore[0] == "*"
    assert all(line.startswith("!") for line in ignore[1:])
    tracked = subprocess.run(
        ["git", "ls-files", str(folder)], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert {Path(p).name for p in tracked} <= {".gitignore", "README.md", "generate.sh"}


def test_production_services_use_the_secrets_the_generator_creates() -> None:
    spec = compose(PRODUCTION / "docker-compose.yml")
    generated = set(
        re.findall(r"^create (\w+)", (PRODUCTION / "secrets/generate.sh").read_text(), re.M)
    )
    declared = set(spec["secrets"])
    assert declared - generated == {"tls_certificate", "tls_private_key"}  # from the CA
    for name, service in spec["services"].items():
        assert set(service.get("secrets", [])) <= declared, name


def test_rabbitmq_is_a_three_node_cluster_behind_one_alias() -> None:
    services = compose(PRODUCTION / "docker-compose.yml")["services"]
    nodes = sorted(n for n in services if n.startswith("rabbitmq-"))
    assert nodes == ["rabbitmq-1", "rabbitmq-2", "rabbitmq-3"]
    conf = (PRODUCTION / "rabbitmq/rabbitmq.conf").read_text()
    assert "cluster_formation.peer_discovery_backend = classic_config" in conf
    listed = re.findall(r"classic_config\.nodes\.\d+ = rabbit@([\w-]+)", conf)
    assert listed == nodes
    for node in nodes:
        assert services[node]["hostname"] == node
        assert "rabbitmq" in services[node]["networks"]["default"]["aliases"]
        assert "rabbitmq_erlang_cookie" in services[node]["secrets"]
    assert "rabbitmq_erlang_cookie" in (PRODUCTION / "rabbitmq/entrypoint.sh").read_text()


def test_mongodb_is_a_three_member_replica_set_that_the_services_address_whole() -> None:
    services = compose(PRODUCTION / "docker-compose.yml")["services"]
    members = sorted(n for n in services if n.startswith("mongo-"))
    assert members == ["mongo-1", "mongo-2", "mongo-3"]
    for member in members:
        assert services[member]["command"][:3] == ["mongod", "--replSet", "rs0"]
        assert "--keyFile" in services[member]["command"]
    init = (PRODUCTION / "mongo/replica-set.js").read_text()
    assert re.findall(r"host: '([\w-]+):27017'", init) == members
    url = re.search(
        r'sigap_mongodb_url \\\n\s+"([^"]+)"', (PRODUCTION / "secrets/generate.sh").read_text()
    )
    assert url is not None
    assert "mongo-1:27017,mongo-2:27017,mongo-3:27017/?replicaSet=rs0" in url.group(1)


def test_the_production_proxy_adds_tls_to_the_one_route_table(tmp_path: Path) -> None:
    out = tmp_path / "nginx.conf"
    subprocess.run(
        ["sh", str(PRODUCTION / "nginx/40-sigap-tls.sh")],
        env={"SIGAP_NGINX_SOURCE": str(DEPLOY / "nginx.conf"), "SIGAP_NGINX_CONFIG": str(out),
             "PATH": "/usr/bin:/bin"},
        check=True,
    )  # fmt: skip
    produced, original = out.read_text(), (DEPLOY / "nginx.conf").read_text()
    assert produced.count("listen 443 ssl default_server;") == 1
    assert "return 301 https://" in produced
    assert "listen 5671 ssl;" in produced  # AMQPS for the edge nodes
    added = [line for line in produced.splitlines() if line not in original.splitlines()]
    assert not any("location" in line for line in added), "routes come only from deploy/nginx.conf"
    proxy = compose(PRODUCTION / "docker-compose.yml")["services"]["proxy"]
    assert "../nginx.conf:/etc/sigap/nginx.conf:ro" in proxy["volumes"]


def test_metrics_never_leave_through_the_public_proxy_without_a_forwarded_for() -> None:
    # /metrics refuses requests carrying X-Forwarded-For; nginx sets it for every location
    # (set once at http level, and a location with its own proxy_set_header would drop it).
    conf = (DEPLOY / "nginx.conf").read_text()
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in conf
    http_level, _, servers = conf.partition("server {")
    assert "proxy_set_header X-Forwarded-For" in http_level
    assert "proxy_set_header" not in servers
    gateway = (ROOT / "ops/gateway.py").read_text()
    assert 'headers["x-forwarded-for"] =' in gateway


def exposed_metric_names() -> set[str]:
    metrics = ServiceMetrics("deploy-test")
    metrics.broker_middleware()  # FastStream registers its series in the same registry
    names: set[str] = set()
    for family in metrics.registry.collect():
        suffixes = {"counter": ("_total",), "histogram": ("_bucket", "_count", "_sum")}
        names.add(family.name)
        names.update(family.name + s for s in suffixes.get(family.type, ()))
    return names | {"up"}


def queried_metric_names(expression: str) -> set[str]:
    return set(re.findall(r"\b(sigap_\w+|faststream_\w+|up)\b", expression))


def test_every_metric_on_the_dashboard_and_in_the_alerts_is_exposed() -> None:
    dashboard = json.loads((DEPLOY / "grafana/dashboards/sigap.json").read_text())
    alerts = yaml.safe_load((DEPLOY / "prometheus/alerts.yml").read_text())
    expressions = [t["expr"] for p in dashboard["panels"] for t in p["targets"]]
    expressions += [rule["expr"] for group in alerts["groups"] for rule in group["rules"]]
    exposed = exposed_metric_names()
    for expression in expressions:
        assert queried_metric_names(expression) <= exposed, expression


def test_grafana_provisioning_points_at_the_dashboard_and_the_prometheus_of_the_profile() -> None:
    services = compose(PRODUCTION / "docker-compose.yml")["services"]
    grafana = services["grafana"]
    assert "../grafana/dashboards:/var/lib/grafana/dashboards:ro" in grafana["volumes"]
    provider = yaml.safe_load((DEPLOY / "grafana/provisioning/dashboards/sigap.yml").read_text())
    assert provider["providers"][0]["options"]["path"] == "/var/lib/grafana/dashboards"
    source = yaml.safe_load(
        (DEPLOY / "grafana/provisioning/datasources/prometheus.yml").read_text()
    )
    [datasource] = source["datasources"]
    dashboard = json.loads((DEPLOY / "grafana/dashboards/sigap.json").read_text())
    assert {p["datasource"]["uid"] for p in dashboard["panels"]} == {datasource["uid"]}
    assert datasource["url"] == "http://prometheus:9090" and "prometheus" in services
    scrape = yaml.safe_load((DEPLOY / "prometheus/prometheus.yml").read_text())
    [sigap] = [job for job in scrape["scrape_configs"] if job["job_name"] == "sigap"]
    assert set(sigap["dns_sd_configs"][0]["names"]) == set(SUBSCRIPTIONS)
    assert sigap["authorization"]["credentials_file"] == "/run/secrets/sigap_metrics_token"


def test_the_backup_service_runs_sigap_backup_on_a_schedule_into_a_volume() -> None:
    spec = compose(PRODUCTION / "docker-compose.yml")
    backup = spec["services"]["backup"]
    command = backup["command"]
    assert command[:2] == ["sigap", "backup"] and "--every-hours" in command
    assert int(command[command.index("--keep") + 1]) >= 1  # old backups are pruned
    out = command[command.index("--out") + 1]
    [volume] = [v for v in backup["volumes"] if v.endswith(":" + out)]
    assert volume.partition(":")[0] in spec["volumes"]  # a named volume, not the container


def documented_commands(section: str) -> list[str]:
    """The shell commands of the code blocks under ``section`` of docs/operations.md, each
    continued line joined."""
    text = (ROOT / "docs/operations.md").read_text()
    body = text.split(f"\n## {section}\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", body, re.S)
    joined = "\n".join(blocks).replace("\\\n", " ")
    return [line.split("#", 1)[0].strip() for line in joined.splitlines() if line.strip()]


def test_the_documented_restores_use_the_services_paths_and_secrets_of_the_profile() -> None:
    spec = compose(PRODUCTION / "docker-compose.yml")
    services = spec["services"]
    commands = documented_commands("Backup and restore")
    named: set[str] = set()
    for command in commands:
        words = command.split()
        if words[:2] != ["docker", "compose"]:
            continue
        verb, rest = words[2], [w for w in words[3:] if not w.startswith("-")]
        if verb in {"stop", "start"}:
            named.update(rest)
        elif verb in {"run", "exec"}:
            named.add(rest[0])
        elif verb == "cp":
            named.add(rest[1].partition(":")[0])
    assert {"backup", "mongo-1", "reporting"} <= named
    assert named <= set(services), named - set(services)
    # Everything that writes is stopped before a restore, and started again after it.
    writers = {"intake", "triage", "notify", "reporting", "backup"}
    for verb in ("stop", "start"):
        lines = [c for c in commands if c.startswith(f"docker compose {verb} ")]
        assert lines and all(set(c.split()[3:]) == writers for c in lines), lines
    # `sigap restore` reads where the backup service writes.
    out = services["backup"]["command"][services["backup"]["command"].index("--out") + 1]
    restores = [c for c in commands if " sigap restore " in c]
    assert restores and all(c.split(" sigap restore ")[1].startswith(out + "/") for c in restores)
    # MongoDB's tools: run in the mongo image, address the whole replica set, and read the
    # password from a secret file the generator creates, never from the command line.
    assert services["mongo-1"]["image"].startswith("mongo:")
    generated = set(
        re.findall(r"^create (\w+)", (PRODUCTION / "secrets/generate.sh").read_text(), re.M)
    )
    members = sorted(n for n in services if n.startswith("mongo-"))
    tools = [c for c in commands if re.search(r"\bmongo(dump|restore)\b", c)]
    assert {"mongodump", "mongorestore"} <= {w for c in tools for w in c.split()}
    for command in tools:
        assert "--password" not in command
        [secret] = re.findall(r"< secrets/(\w+)", command)
        assert secret in generated
        [hosts] = re.findall(r"--host rs0/(\S+)", command)
        assert sorted(h.partition(":")[0] for h in hosts.split(",")) == members


def test_the_edge_shovels_cover_every_service_that_consumes_what_intake_publishes() -> None:
    script = (EDGE / "shovels.sh").read_text()
    match = re.search(r'^SERVICES="([^"]+)"', script, re.M)
    assert match is not None
    assert set(match.group(1).split()) == set(SUBSCRIPTIONS) - {"intake"}
    services = compose(EDGE / "docker-compose.yml")["services"]
    assert set(services) == {"rabbitmq", "mongodb", "intake", "uplink"}
    assert "rabbitmq_shovel" in (EDGE / "rabbitmq-entrypoint.sh").read_text()
