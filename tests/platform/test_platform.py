import json

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_health_check_reports_the_database(client: Client, settings):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] in {"sqlite", "postgresql"}


def test_openapi_schema_is_generated(client: Client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["info"]["title"] == "Jiliang API"


@pytest.mark.parametrize(("language", "text"), [("en", "Log in"), ("zh-hans", "登录")])
def test_home_follows_the_browser_language(client: Client, language, text):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert text in response.content.decode()


def test_language_switch_sets_the_language(client: Client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 302
    assert "Log in" in client.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()


def test_models_and_migrations_agree():
    """A model change without its migration would break `jiliang migrate` on upgrade."""
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit:
        pytest.fail(f"missing migrations:\n{out.getvalue()}")


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        (None, ["/portal/", "/registry/institutions/"], ["/registry/instruments/", "/supervision/risk/"]),
        ("staff", ["/registry/instruments/", "/supervision/compulsory/"], ["/supervision/risk/"]),
        ("regulator", ["/registry/instruments/", "/supervision/risk/"], []),
    ],
)
def test_the_menu_offers_only_pages_the_user_may_open(client: Client, role, shown, hidden):
    """Regression (QA crawl, 2026-11-27): the menu offered the early-warning list to institution
    staff (403) and the login-only lists to the public."""
    from tests import factories

    if role:
        client.force_login(factories.user_with_role(role))
    menu = client.get("/").content.decode().split('<nav class="mainnav">')[1].split("</nav>")[0]
    for url in shown:
        assert f'href="{url}"' in menu
    for url in hidden:
        assert f'href="{url}"' not in menu
    due = client.get("/supervision/compulsory/").content.decode() if role else ""
    assert ('href="/supervision/compulsory/summary/"' in due) == (role == "regulator")
