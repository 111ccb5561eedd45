"""Browser test (issue 6 item 4): the public verification page, no login. A certificate number
gives "valid" with the issuer; an uploaded DCC with one digit changed gives "tampered" and says
what no longer matches.

Transactional tests empty the tables with DELETE, which the frozen-record triggers refuse for
issued records (calibration/frozen.py); the teardown lifts them for its own rows only and puts
them back before the flush."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection

from jiliang import dcc
from jiliang.calibration import certificates, frozen
from jiliang.cli import keystore
from jiliang.registry import catalogue_seed
from jiliang.registry.policy import SYSTEM
from tests import factories
from tests.calibration import builders as b

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
D = Decimal
_TRIGGERS = ("calibration_record", "calibration_result", "calibration_usage")


def _delete_frozen_rows() -> None:
    tables = ("certificates_issuedcertificate", "certificates_importedcertificate", *reversed(_TRIGGERS))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")  # triggers off for this session
            for table in tables:
                cursor.execute(f"DELETE FROM {table}")
            cursor.execute("SET session_replication_role = DEFAULT")
            return
        statements = frozen.sqlite_statements()
        for sql in statements:
            cursor.execute("DROP TRIGGER " + re.match(r"CREATE TRIGGER (\w+)", sql).group(1))
        for table in tables:
            cursor.execute(f"DELETE FROM {table}")
        for sql in statements:
            cursor.execute(sql)


@pytest.fixture
def stored(transactional_db, tmp_path, monkeypatch):
    """An issued record of an instrument and its signed DCC (the verification page's subject)."""
    catalogue_seed.seed(apps)
    monkeypatch.setenv("JILIANG_DATA_DIR", str(tmp_path))
    std = b.examined_standard()
    std_cert = b.issued(
        b.lab(kind="nmi"), std, [{"standard": b.primary()}], [b.point(expanded_uncertainty=D("0.02"))]
    )
    record = b.issued(
        b.lab(),
        factories.instrument(),
        [{"standard": std, "certificate": std_cert}],
        [
            b.point(),
            b.point(nominal_value=D("20"), measured_value=D("20.35"), expanded_uncertainty=D("0.40")),
        ],
    )
    keystore.add(certificates.key_name(record), dcc.generate_key("Browser Test Laboratory"), new=True)
    yield certificates.sign(SYSTEM, record)
    _delete_frozen_rows()


def test_verify_by_number_then_upload_a_tampered_dcc(page, live_server, stored, tmp_path):
    page.goto(live_server.url + "/certificates/verify/")
    page.fill("input[name=number]", stored.number)
    page.click("form.lookup button[type=submit]")
    page.wait_for_load_state()
    valid = page.locator("article.result")
    assert valid.count() == 1
    assert "verdict-valid" in valid.get_attribute("class")
    assert stored.record.institution.name in valid.locator("dl.fields").inner_text()

    tampered = tmp_path / "tampered.xml"
    tampered.write_bytes(bytes(stored.signed_xml).replace(b">20.35<", b">20.36<", 1))
    page.goto(live_server.url + "/certificates/verify/")
    page.set_input_files("#dcc-file", str(tampered))
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()
    result = page.locator("article.result")
    assert "verdict-tampered" in result.get_attribute("class")
    differences = result.locator("ul.differences").inner_text()
    assert "si:value: '20.35' is now '20.36'" in differences
