"""Platform commands: ``jiliang migrate``, ``jiliang serve``, ``jiliang manage ...``.

These need Django and the database named by ``JILIANG_DATABASE_URL``.
"""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jiliang.registry.demo import DemoRegion


def setup_django() -> None:
    """Configure Django once for a CLI command that needs the platform."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiliang.platform.settings")
    import django

    from jiliang.cli import language

    django.setup()
    language.activate()


def _manage(*argv: str, **options: object) -> None:
    from django.core.management import call_command

    call_command(*argv, **options)


def migrate(args: argparse.Namespace) -> int:
    setup_django()
    _manage("migrate", "--noinput", verbosity=1 if args.verbose else 0)
    return 0


def serve(args: argparse.Namespace) -> int:
    setup_django()
    _manage("migrate", "--noinput", verbosity=0)
    run_server(args.port, args.host)
    return 0


def run_server(port: int, host: str = "127.0.0.1") -> None:
    """Serve the web UI and API (Django's threaded server; put a WSGI server in front for production)."""
    from django.core.management import call_command
    from django.urls import get_resolver

    os.environ.setdefault("JILIANG_SERVE_STATIC", "1")
    # --skip-checks leaves the URL configuration (every app's views, scipy, sympy) to the first
    # request, which then took 2-4 s: load it before serving.
    get_resolver().url_patterns  # noqa: B018
    call_command("runserver", f"{host}:{port}", "--noreload", "--insecure", "--skip-checks")


def demo(args: argparse.Namespace) -> int:
    """Create or upgrade the database, build (or reuse) the demo region, print the logins, serve."""
    setup_django()
    _manage("migrate", "--noinput", verbosity=0)
    region = build_demo(args.seed, args.scale)
    print_demo(region)
    if not args.no_serve:
        print(f"\nJiliang is serving on http://127.0.0.1:{args.port}/ (Ctrl-C stops it)", flush=True)
        run_server(args.port)
    return 0


def build_demo(seed: int, scale: float = 1.0) -> DemoRegion:
    from tqdm import tqdm

    from jiliang.registry.demo import build_region, existing_logins, planned_rows

    if existing_logins():
        print("Reusing the demo region already in the database.")
        return build_region(seed=seed)
    total = planned_rows(scale)
    with tqdm(total=total, unit=" rows", desc="Building the demo region", unit_scale=True) as bar:
        return build_region(seed=seed, scale=scale, progress=bar.update)


def print_demo(region: DemoRegion) -> None:
    width = max(len(k) for k in region.counts)
    for name, value in region.counts.items():
        print(f"  {name.replace('_', ' '):<{width}}  {value:>9,}")
    print("\nDemo logins (the public needs none):")
    for login in region.logins:
        print(f"  {login.role:<14} {login.username:<15} password {login.password:<14} {login.institution}")


def manage(args: argparse.Namespace) -> int:
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["jiliang manage", *args.rest])
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("migrate", help="create or upgrade the database schema")
    p.add_argument("-v", "--verbose", action="store_true")
    p.set_defaults(func=migrate)

    p = subparsers.add_parser("serve", help="serve the web UI and REST API")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--host", default="127.0.0.1")
    p.set_defaults(func=serve)

    p = subparsers.add_parser("demo", help="build the demo region and serve it")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--seed", type=int, default=2024, help="seed of the synthetic region (default 2024)")
    p.add_argument("--scale", type=float, default=1.0, help="size relative to Shanghai's (default 1)")
    p.add_argument("--no-serve", action="store_true", help="build the region and print the logins only")
    p.set_defaults(func=demo)

    p = subparsers.add_parser("manage", help="run a Django management command (advanced)")
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=manage)
