#!/usr/bin/env python3
"""Fill the @NAME@ placeholders of deploy/nginx/citysafe.conf (standard library only).

    python3 deploy/render.py --server-name citysafe.example.gov.cn \
        --upstream 127.0.0.1:8001 --upstream 127.0.0.1:8002 \
        --static-root /srv/citysafe/var/static --media-root /srv/citysafe/var/media \
        --tls-cert /etc/ssl/citysafe/fullchain.pem --tls-key /etc/ssl/citysafe/privkey.pem \
        > /etc/nginx/sites-available/citysafe

Hand-written rather than envsubst or a template engine: nginx's own `$variables` must pass
through untouched, and an unfilled or unknown placeholder must be an error, not an empty string.
"""
import argparse
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TEMPLATE = HERE / "nginx" / "citysafe.conf"
PROXY_SNIPPET = HERE / "nginx" / "citysafe-proxy.conf"
PLACEHOLDER = re.compile(r"@([A-Z_]+)@")

DEFAULTS = {
    "SERVER_NAME": "_",
    "HTTP_PORT": "80",
    "HTTPS_PORT": "443",
    "TLS_CERT": "/etc/ssl/citysafe/fullchain.pem",
    "TLS_KEY": "/etc/ssl/citysafe/privkey.pem",
    "STATIC_ROOT": "/srv/citysafe/var/static",
    "MEDIA_ROOT": "/srv/citysafe/var/media",
    "LOG_DIR": "/var/log/nginx",
    "ACME_ROOT": "/var/www/acme",
    "PROXY_PARAMS": "/etc/nginx/snippets/citysafe-proxy.conf",
}


def upstream_lines(servers: list[str]) -> str:
    # max_fails/fail_timeout: a process that failed 3 times is left out for 10 s.
    return "\n".join(f"    server {server} max_fails=3 fail_timeout=10s;" for server in servers)


def render(values: dict[str, str], upstreams: list[str], template: Path = TEMPLATE, *, ipv6: bool = True) -> str:
    """The configuration text; raises KeyError naming a placeholder that has no value.
    ipv6=False drops the `listen [::]:…` lines (a host without IPv6 cannot bind them)."""
    if not upstreams:
        raise ValueError("at least one --upstream host:port is needed")
    filled = {**DEFAULTS, **{k: str(v) for k, v in values.items() if v is not None},
              "UPSTREAM_SERVERS": upstream_lines(upstreams)}

    def substitute(match: re.Match) -> str:
        name = match.group(1)
        if name not in filled:
            raise KeyError(f"no value for @{name}@")
        return filled[name]

    # Comment lines are copied as they are (they name the placeholders).
    lines = [line for line in template.read_text().splitlines(keepends=True)
             if ipv6 or not line.lstrip().startswith("listen [::]")]
    return "".join(line if line.lstrip().startswith("#") else PLACEHOLDER.sub(substitute, line) for line in lines)


def standalone_main_conf(prefix: Path, site_conf: Path, *, workers: int = 1) -> str:
    """A complete nginx.conf running the site from `prefix` without touching /etc, /var or
    /run: pid, logs and temp files under prefix, in the foreground (tests, the cluster bench).
    As root the workers keep root's identity (the default `nobody` cannot read a private
    temporary directory); otherwise nginx runs as the calling user."""
    import os

    user = "user root;\n" if os.geteuid() == 0 else ""
    temp = {name: prefix / "tmp" / name for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")}
    for path in temp.values():
        path.mkdir(parents=True, exist_ok=True)
    (prefix / "logs").mkdir(parents=True, exist_ok=True)
    return (f"{user}daemon off;\nworker_processes {workers};\npid {prefix}/nginx.pid;\n"
            f"error_log {prefix}/logs/error.log warn;\n"
            "events { worker_connections 1024; }\n"
            "http {\n"
            "    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n"
            "    sendfile on;\n    tcp_nopush on;\n"
            + "".join(f"    {name}_temp_path {path};\n" for name, path in temp.items())
            + f"    access_log {prefix}/logs/access.log;\n"
            f"    include {site_conf};\n}}\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--upstream", action="append", default=[], help="gunicorn host:port (repeat)")
    for name in DEFAULTS:
        parser.add_argument("--" + name.lower().replace("_", "-"), dest=name, default=None,
                            help=f"default {DEFAULTS[name]}")
    parser.add_argument("--no-ipv6", action="store_true", help="no IPv6 listen lines")
    parser.add_argument("--output", "-o", help="write here instead of stdout")
    args = parser.parse_args(argv)
    text = render({name: getattr(args, name) for name in DEFAULTS}, args.upstream or ["127.0.0.1:8001"],
                  ipv6=not args.no_ipv6)
    if args.output:
        Path(args.output).write_text(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
