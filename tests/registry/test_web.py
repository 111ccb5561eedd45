"""Registry web pages (issue 2 item 7): lists with filters, search and pagination and no N+1,
detail pages, forms that write through the services (audited) with errors beside the field,
scoping by role, the dashboard's figures, CSRF on login."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from jiliang.platform.models import AuditEntry
from jiliang.registry import models as m
from jiliang.registry import stats
from jiliang.registry.charts import bar_chart, donut
from tests import factories as f

pytestmark = pytest.mark.django_db
LISTS = ["institutions", "people", "standards", "reference-materials", "instruments", "specifications"]


def _login(client: Client, user) -> Client:
    client.force_login(user)
    return client


def _fill(n: int, owner: m.Institution) -> None:
    for _ in range(n):
        f.instrument(owner=owner)
        f.standard(owner=owner)
        f.reference_material(producer=owner)
        f.person(institution=owner, metrologist_level=2, registration_number=f"R{m.Person.objects.count()}",
                 registration_valid_until=date(2030, 1, 1))  # fmt: skip


@pytest.mark.parametrize("kind", LISTS)
def test_list_pages_make_the_same_number_of_queries_for_3_or_13_rows(client, admin_user, kind):
    owner = f.institution()
    _login(client, admin_user)
    _fill(3, owner)
    with CaptureQueriesContext(connection) as few:
        assert client.get(f"/registry/{kind}/").status_code == 200
    _fill(10, owner)
    with CaptureQueriesContext(connection) as many:
        response = client.get(f"/registry/{kind}/")
    assert response.status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_institution_detail_lists_related_records_without_n_plus_1(client, admin_user):
    lab = f.institution(kind="legal")
    f.standard(owner=lab)
    _login(client, admin_user)
    with CaptureQueriesContext(connection) as few:
        client.get(f"/registry/institutions/{lab.pk}/")
    for _ in range(5):
        f.standard(owner=lab)
        m.Authorisation.objects.create(
            institution=lab, activity="verification", area=f.area(), category=f.category(),
            valid_from=date(2024, 1, 1), valid_until=date(2029, 1, 1),
        )  # fmt: skip
    with CaptureQueriesContext(connection) as many:
        response = client.get(f"/registry/institutions/{lab.pk}/")
    assert len(many) == len(few)
    assert response.content.decode().count("<tr>") >= 10


def test_filters_search_and_pagination(client, admin_user):
    owner = f.institution(kind="enterprise")
    for i in range(60):
        f.instrument(owner=owner, serial_number=f"PG{i:04d}", status="in_service" if i % 3 else "scrapped")
    _login(client, admin_user)
    page = client.get("/registry/instruments/?status=scrapped").content.decode()
    assert "记录数：20" in page
    assert "PG0003" in page and "PG0004" not in page
    page = client.get("/registry/instruments/?q=PG0042").content.decode()
    assert "PG0042" in page and "PG0041" not in page
    first = client.get("/registry/instruments/").content.decode()
    second = client.get("/registry/instruments/?page=2").content.decode()
    assert "PG0000" in first and "PG0055" not in first and "PG0055" in second


def test_public_sees_public_lists_and_must_log_in_for_instruments(client):
    f.instrument(serial_number="HIDDEN1")
    assert client.get("/registry/institutions/").status_code == 200
    response = client.get("/registry/instruments/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_empty_choice_shows_as_an_empty_cell_not_none(client, admin_user):
    """Regression (QA crawl, 2026-11-27): people without a metrologist level read "None"."""
    f.person(name="No level", metrologist_level=None)
    page = _login(client, admin_user).get("/registry/people/?q=No+level").content.decode()
    assert "No level" in page and ">None<" not in page


def test_staff_see_only_their_instruments_and_cannot_open_others(client):
    mine, other = f.institution(), f.institution()
    own = f.instrument(owner=mine, serial_number="MINE1")
    foreign = f.instrument(owner=other, serial_number="THEIRS1")
    _login(client, f.user_with_role("staff", mine))
    page = client.get("/registry/instruments/").content.decode()
    assert "MINE1" in page and "THEIRS1" not in page
    assert client.get(f"/registry/instruments/{own.pk}/").status_code == 200
    assert client.get(f"/registry/instruments/{foreign.pk}/").status_code == 404
    assert client.get(f"/registry/instruments/{foreign.pk}/edit/").status_code == 404


def test_create_through_the_form_is_audited(client):
    mine = f.institution()
    _login(client, f.user_with_role("staff", mine))
    form = {
        "category": f.category().pk, "manufacturer": "Acme", "model": "X1", "serial_number": "NEW-001",
        "owner": mine.pk, "district": f.district().pk, "status": "in_service", "interval_months": 12,
        "last_verification": "2025-01-10", "next_due": "2026-01-10",
    }  # fmt: skip
    response = client.post("/registry/instruments/new/", form)
    created = m.Instrument.objects.get(serial_number="NEW-001")
    assert response.status_code == 302 and response["Location"] == f"/registry/instruments/{created.pk}/"
    entry = AuditEntry.objects.get(object_type="registry.instrument", object_id=str(created.pk))
    assert entry.action == "create" and entry.after["serial_number"] == "NEW-001"


def test_edit_audits_the_record_as_stored_before(client):
    mine = f.institution()
    item = f.instrument(owner=mine, model="OLD")
    _login(client, f.user_with_role("approver", mine))
    form = client.get(f"/registry/instruments/{item.pk}/edit/").context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data.update(model="NEW", last_verification="2024-01-10", next_due="2030-01-10")
    assert client.post(f"/registry/instruments/{item.pk}/edit/", data).status_code == 302
    entry = AuditEntry.objects.filter(object_id=str(item.pk), action="update").get()
    assert entry.before["model"] == "OLD" and entry.after["model"] == "NEW"


def test_errors_appear_beside_the_field_and_nothing_is_written(client):
    regulator = f.user_with_role("regulator", f.institution(kind="regulator", district=None))
    _login(client, regulator)
    before = m.Institution.objects.count()
    response = client.post(
        "/registry/institutions/new/",
        {"name": "Bad code lab", "kind": "calibration_lab", "credit_code": "91310000000000001X"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and m.Institution.objects.count() == before
    assert 'id="id_credit_code_error"' in html
    error_at = html.index('id="id_credit_code_error"')
    assert html.rindex('name="credit_code"', 0, error_at) > html.rindex("<label", 0, error_at)


def test_due_date_before_last_verification_is_refused_beside_the_form(client):
    mine = f.institution()
    item = f.instrument(owner=mine)
    _login(client, f.user_with_role("staff", mine))
    form = client.get(f"/registry/instruments/{item.pk}/edit/").context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data.update(last_verification="2025-05-01", next_due="2025-01-01")
    response = client.post(f"/registry/instruments/{item.pk}/edit/", data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    # The constraint's own words, beside the field to correct (not Django's "Constraint ... is violated").
    assert response.context["form"].errors == {
        "next_due": ["The next due date cannot be before the last verification."]
    }
    item.refresh_from_db()
    assert item.next_due == date(2030, 1, 10)


def test_reference_material_without_coverage_factor_names_the_field_in_chinese(client):
    mine = f.institution()
    item = f.reference_material(producer=mine)
    _login(client, f.user_with_role("staff", mine))
    form = client.get(f"/registry/reference-materials/{item.pk}/edit/").context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data.update(coverage_factor="0")
    response = client.post(
        f"/registry/reference-materials/{item.pk}/edit/", data, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "expanded_uncertainty": ["扩展不确定度和包含因子都必须大于零。"]
    }


def test_roles_that_may_not_write_get_403(client):
    _login(client, f.user_with_role("regulator"))
    response = client.get("/registry/standards/new/")
    assert response.status_code == 403


def test_dashboard_figures_come_from_the_database(client, admin_user):
    owner = f.institution(kind="enterprise")
    today = date.today()
    f.instrument(
        owner=owner, last_verification=today - timedelta(days=400), next_due=today - timedelta(days=1)
    )
    f.instrument(
        owner=owner, last_verification=today - timedelta(days=300), next_due=today + timedelta(days=10)
    )
    f.instrument(owner=owner, category=f.category("caliper"))
    f.instrument(owner=owner, status="scrapped")
    figures = stats.region_figures(today)
    assert (figures.instruments, figures.overdue, figures.due_soon, figures.compulsory) == (3, 1, 1, 2)
    assert figures.compulsory_share == pytest.approx(2 / 3)
    assert dict(figures.instruments_by_district)[f.district().name] == 3
    public = client.get("/registry/").content.decode()  # region-wide counts are public figures
    assert public.count("<svg") >= 5 and "66.7%" in public
    assert f.instrument(owner=owner).serial_number not in public


def test_charts_escape_labels_and_scale_bars():
    svg = bar_chart([("<b>", 10), ("half", 5)])
    assert "&lt;b&gt;" in svg and "<b>" not in svg
    widths = [float(w.split('"')[0]) for w in svg.split('width="')[2:4]]
    assert widths[0] == pytest.approx(2 * widths[1])
    assert "25.0%" in donut([("a", 1), ("b", 3)])


def test_login_needs_the_csrf_token(admin_user):
    admin_user.set_password("pw-for-tests")
    admin_user.save()
    strict = Client(enforce_csrf_checks=True)
    assert (
        strict.post(
            "/accounts/login/", {"username": admin_user.username, "password": "pw-for-tests"}
        ).status_code
        == 403
    )
    page = strict.get("/accounts/login/")
    token = page.cookies["csrftoken"].value
    response = strict.post(
        "/accounts/login/",
        {"username": admin_user.username, "password": "pw-for-tests", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302


def test_an_approver_deletes_an_instrument_after_confirming_and_it_is_audited(client):
    mine = f.institution()
    item = f.instrument(owner=mine)
    _login(client, f.user_with_role("approver", mine))
    assert (
        f"/registry/instruments/{item.pk}/delete/"
        in client.get(f"/registry/instruments/{item.pk}/").content.decode()
    )
    confirm = client.get(f"/registry/instruments/{item.pk}/delete/", HTTP_ACCEPT_LANGUAGE="en")
    assert confirm.status_code == 200 and "cannot be restored" in confirm.content.decode()
    assert m.Instrument.objects.filter(pk=item.pk).exists()  # GET deletes nothing
    response = client.post(f"/registry/instruments/{item.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == "/registry/instruments/"
    assert not m.Instrument.objects.filter(pk=item.pk).exists()
    entry = AuditEntry.objects.get(object_type="registry.instrument", object_id=str(item.pk), action="delete")
    assert entry.before["serial_number"] == item.serial_number and entry.after is None


def test_staff_may_not_delete_and_see_no_delete_button(client):
    mine = f.institution()
    item = f.instrument(owner=mine)
    _login(client, f.user_with_role("staff", mine))
    assert "/delete/" not in client.get(f"/registry/instruments/{item.pk}/").content.decode()
    assert client.post(f"/registry/instruments/{item.pk}/delete/").status_code == 403
    assert m.Instrument.objects.filter(pk=item.pk).exists()


def test_a_record_still_referred_to_is_kept_and_the_page_says_why(client):
    owner = f.institution()
    f.instrument(owner=owner)
    _login(client, f.user_with_role("administrator"))
    response = client.post(
        f"/registry/institutions/{owner.pk}/delete/", HTTP_ACCEPT_LANGUAGE="en", follow=True
    )
    assert m.Institution.objects.filter(pk=owner.pk).exists()
    assert "is still referred to by other records and was not deleted" in response.content.decode()
    assert not AuditEntry.objects.filter(object_type="registry.institution", action="delete").exists()
