"""Impact analysis against the database (issue 5, items 4 and 7): depths, range and window,
re-evaluated decisions, items and owners, a fixed number of queries, nonconforming work with
notifications, and the database closure equal to the brute-force reference on random graphs."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jiliang.calibration.models import Record, Result, Usage
from jiliang.errors import PermissionDenied
from jiliang.platform.models import AuditEntry
from jiliang.registry.choices import Role
from jiliang.registry.policy import SYSTEM, actor_for
from jiliang.traceability import services
from jiliang.traceability.impact import Row, Window, brute_force_affected
from jiliang.traceability.models import Notification
from jiliang.traceability.reverse import STATEMENTS, Error, impact
from tests import factories
from tests.calibration import builders as b
from tests.traceability.ladders import ladder, u

pytestmark = pytest.mark.django_db


def test_every_depth_is_found_and_the_decision_re_evaluated():
    lad = ladder(3, measured="109.8")  # instrument error 99.8 µm, tolerance ±100 µm: accepted
    report = impact(lad.standards[0], Window(date(2024, 12, 1)), Error(0.5, 0.0, "µm"))
    depths = {r.certificate_number: r.depth for r in report.results}
    assert depths == {
        lad.certificates[1].certificate_number: 1,
        lad.certificates[2].certificate_number: 2,
        lad.record.certificate_number: 3,
    }
    last = next(r for r in report.results if r.depth == 3)
    assert (last.decision, last.new_decision, last.changed) == ("accept", "reject", True)
    assert {(i.kind, i.id) for i in report.items} == {
        ("standard", lad.standards[1].pk), ("standard", lad.standards[2].pk), ("instrument", lad.instrument.pk)
    }  # fmt: skip
    assert {i.owner_id for i in report.items if i.kind == "instrument"} == {lad.instrument.owner_id}


def test_unit_of_the_error_is_converted():
    lad = ladder(1, measured="109.8")
    report = impact(lad.standards[0], Window(date(2024, 12, 1)), Error(0.0005, 0.0, "mm"))
    assert report.results[0].changed


def test_window_and_range_exclude_results():
    lad = ladder(2)
    assert impact(lad.standards[0], Window(date(2025, 2, 1))).results == ()  # used on 2025-01-01
    assert impact(lad.standards[0], Window(date(2024, 1, 1), date(2024, 12, 31))).results == ()
    assert impact(lad.standards[0], Window(date(2024, 12, 1), None, 20, 30)).results == ()  # nominal 10
    assert len(impact(lad.standards[0], Window(date(2024, 12, 1), None, 5, 15)).results) == 2


@pytest.mark.parametrize("depth", [2, 5])
def test_impact_takes_a_fixed_number_of_statements_at_any_depth(depth):
    """One query on SQLite; on PostgreSQL one statement of SET LOCAL settings (page cost, JIT,
    work_mem), then the query (in a savepoint here, as tests run inside a transaction: its
    statements are not counted)."""
    lad = ladder(depth)
    with CaptureQueriesContext(connection) as ctx:
        report = impact(lad.standards[0], Window(date(2024, 12, 1)), Error(0.1))
    assert len(report.results) == depth
    statements = [q["sql"] for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(statements) == STATEMENTS[connection.vendor]
    assert sum("WITH RECURSIVE" in sql for sql in statements) == 1


def test_the_planner_settings_end_with_the_analysis():
    lad = ladder(1)
    shown = "SELECT current_setting('random_page_cost'), current_setting('jit'), current_setting('work_mem')"
    with connection.cursor() as cursor:
        cursor.execute(shown if connection.vendor == "postgresql" else "SELECT 1")
        before = cursor.fetchone()
        impact(lad.standards[0], Window(date(2024, 12, 1)), Error(0.1))
        cursor.execute(shown if connection.vendor == "postgresql" else "SELECT 1")
        assert cursor.fetchone() == before


def test_nonconforming_work_notifies_each_owner_once_and_is_audited():
    lad = ladder(2)
    report = services.analyse(SYSTEM, lad.standards[0], Window(date(2024, 12, 1)), Error(0.1))
    work = services.open_nonconforming_work(SYSTEM, lad.standards[0], report, "found 0.1 µm out")
    owners = {i.owner_id for i in report.items}
    assert set(Notification.objects.filter(work=work).values_list("recipient_id", flat=True)) == owners
    assert Notification.objects.filter(work=work).count() == len(owners)
    assert all(n.sent_at is None for n in Notification.objects.all())  # waiting in the outbox
    assert work.report["affected_results"] == 2
    assert AuditEntry.objects.filter(object_type="traceability.nonconformingwork", action="open").count() == 1
    csv_text = report.to_csv()
    assert csv_text.splitlines()[0].startswith("certificate_number,record_id,result_id,depth")
    assert len(csv_text.splitlines()) == 3
    json.dumps(report.as_dict())


def test_items_list_each_certificate_once_in_order_and_exports_match_the_rows():
    lad = ladder(1)
    uses = [{"standard": lad.standards[0], "certificate": lad.certificates[0]}]
    two_points = [b.point(expanded_uncertainty=u(2), nominal_value=Decimal(n), tolerance_lower=Decimal("-100"),
                          tolerance_upper=Decimal("100")) for n in ("10", "20")]  # fmt: skip
    b.issued(b.lab(), lad.instrument, uses, two_points, certificate_number="AAA-1")
    report = impact(lad.standards[0], Window(date(2024, 12, 1)), Error(0.1))
    (item,) = [i for i in report.items if i.kind == "instrument"]
    assert item.certificates == ("AAA-1", lad.record.certificate_number)  # sorted, each once
    assert len(report.results) == 3
    data = report.as_dict()
    assert data["results"] == [r._asdict() for r in report.results]
    assert data["items"] == [i._asdict() | {"certificates": list(i.certificates)} for i in report.items]
    assert (data["affected_records"], data["affected_results"], data["max_depth"]) == (2, 3, 1)
    rows = report.to_csv().splitlines()[1:]
    assert rows == [",".join(str(v) for v in r) for r in report.results]


def test_only_the_owner_or_a_regulator_analyses():
    lad = ladder(1)
    outsider = actor_for(factories.user_with_role(Role.APPROVER))
    with pytest.raises(PermissionDenied):
        services.analyse(outsider, lad.standards[0], Window(date(2024, 12, 1)))


def test_a_reference_material_is_a_source_too():
    at = b.lab()
    rm = factories.reference_material(unit="µm", expanded_uncertainty=Decimal("0.01"))
    rec = b.issued(at, factories.instrument(), [{"reference_material": rm}])
    report = impact(services.find_source(rm.number), Window(date(2025, 1, 1)))
    assert [r.record_id for r in report.results] == [rec.pk]


def test_a_certificate_that_is_an_instruments_record_still_leads_downstream():
    """History data may name an instrument's record as the certificate of a standard (the import
    reports it, the issue guard refuses it): the impact follows it all the same."""
    lad = ladder(1)
    downstream = b.draft(b.lab(), factories.instrument())
    result = Result.objects.create(record=downstream, position=1, **b.point())
    Usage.objects.create(
        record=downstream, result=result, standard=b.examined_standard(), certificate=lad.record
    )
    report = impact(lad.standards[0], Window(date(2024, 12, 1)))
    assert {r.record_id: r.depth for r in report.results}[downstream.pk] == 2


@st.composite
def histories(draw):
    n = draw(st.integers(1, 8))
    records = [
        {"standard": draw(st.integers(0, 2)), "date": draw(st.integers(0, 40)), "points": [
            {"nominal": draw(st.integers(0, 20)), "source": draw(st.booleans()),
             "certificate": draw(st.one_of(st.none(), st.integers(0, n - 1)))}
            for _ in range(draw(st.integers(1, 3)))
        ]}
        for _ in range(n)
    ]  # fmt: skip
    since = draw(st.integers(0, 30))
    return records, Window(
        date(2024, 1, 1) + timedelta(days=since), None, draw(st.sampled_from([None, 5])), 15
    )


@settings(max_examples=12, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(histories())
def test_database_closure_equals_the_brute_force_reference(history):
    records, window = history
    with transaction.atomic():
        at = b.lab()
        source = b.examined_standard()
        stds = [b.examined_standard() for _ in range(3)]
        created = [b.draft(at, stds[r["standard"]], calibration_date=date(2024, 1, 1) + timedelta(days=r["date"]))
                   for r in records]  # fmt: skip
        rows = []
        for rec, spec in zip(created, records, strict=True):
            for pos, p in enumerate(spec["points"], 1):
                res = Result.objects.create(
                    record=rec, position=pos, **b.point(nominal_value=Decimal(p["nominal"]))
                )
                cert = created[p["certificate"]] if p["certificate"] is not None else None
                if p["source"]:
                    Usage.objects.create(record=rec, result=res, standard=source)
                if cert is not None:
                    Usage.objects.create(record=rec, result=res, standard=cert.standard, certificate=cert)
                rows += [Row(rec.pk, res.pk, True, None, rec.calibration_date, float(p["nominal"]))] * p[
                    "source"
                ]
                if cert is not None:
                    rows.append(
                        Row(rec.pk, res.pk, False, cert.pk, rec.calibration_date, float(p["nominal"]))
                    )
        got = {r.result_id: r.depth for r in impact(source, window).results}
        assert got == brute_force_affected(rows, window)
        assert Record.objects.filter(pk__in=[c.pk for c in created]).count() == len(created)
        transaction.set_rollback(True)


def test_the_certificate_index_carries_every_column_the_recursion_reads():
    """PostgreSQL's recursion reads each use of a reached certificate from the usage facts'
    certificate index: a column read but not included would send it back to the table for every
    row (index-only scans are lost silently). The certificate id is the index's key."""
    from jiliang.calibration import usage_facts
    from jiliang.traceability import reverse

    assert {"record_id", *reverse._CARRIED} <= {"certificate_id", *usage_facts.READ_BY_CERTIFICATE}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            indexes = connection.introspection.get_constraints(cursor, usage_facts.TABLE)
        assert indexes[f"{usage_facts.TABLE}_certificate_idx"]["columns"] == [
            "certificate_id",
            *usage_facts.READ_BY_CERTIFICATE,
        ]


def test_missing_limits_and_other_units_come_through_the_columns():
    """A point without tolerance (NULL limits: NaN in the columns) keeps no statement and says
    why; a point in mm is re-evaluated with the error given in µm converted (0.5 µm = 0.0005 mm)."""
    lad = ladder(1)
    uses = [{"standard": lad.standards[0], "certificate": lad.certificates[0]}]
    no_limits = b.point(expanded_uncertainty=u(2), tolerance_lower=None, tolerance_upper=None)
    in_mm = b.point(unit="mm", nominal_value=Decimal("0.01"), measured_value=Decimal("0.0104"),
                    expanded_uncertainty=Decimal("0.0001"), tolerance_lower=Decimal("-0.0005"),
                    tolerance_upper=Decimal("0.0005"))  # fmt: skip
    record = b.issued(b.lab(), lad.instrument, uses, [no_limits, in_mm], certificate_number="MIX-1")
    with translation.override("en"):
        report = impact(lad.standards[0], Window(date(2024, 12, 1)), Error(0.5, 0.0, "µm"))
    mine = {r.unit: r for r in report.results if r.record_id == record.pk}
    assert mine["µm"].note == "no tolerance: no conformity statement to re-evaluate"
    assert (mine["µm"].decision, mine["µm"].new_decision, mine["µm"].changed) == ("", "", False)
    # error 0.4 µm, U 0.1 µm inside ±0.5 µm; corrected by 0.5 µm it lies 0.9 µm out
    assert (mine["mm"].decision, mine["mm"].new_decision, mine["mm"].changed) == ("accept", "reject", True)
    assert mine["mm"].nominal_value == pytest.approx(0.01)
    assert mine["mm"].note == ""


@pytest.mark.parametrize(
    ("language", "no_error", "no_limits", "other_unit"),
    [
        ("en", "no as-found error given", "no tolerance: no conformity statement to re-evaluate",
         "unit µm cannot be compared with g"),
        ("zh-hans", "未给出发现时误差", "无允差：没有可重新评定的符合性声明", "单位 µm 与 g 不可比较"),
    ],
)  # fmt: skip
def test_the_notes_are_worded_in_the_active_language(language, no_error, no_limits, other_unit):
    lad = ladder(1)
    uses = [{"standard": lad.standards[0], "certificate": lad.certificates[0]}]
    no_tolerance = b.point(expanded_uncertainty=u(2), tolerance_lower=None, tolerance_upper=None)
    b.issued(b.lab(), lad.instrument, uses, [no_tolerance], certificate_number="NOTE-1")
    window = Window(date(2024, 12, 1))
    with translation.override(language):
        without_error = impact(lad.standards[0], window)
        with_error = impact(lad.standards[0], window, Error(0.5, 0.0, "µm"))
        # the error in grams: no result's unit compares (the ladder's and this one are in µm)
        incomparable = impact(lad.standards[0], window, Error(0.5, 0.0, "g"))
    assert {r.note for r in without_error.results} == {no_error, no_limits}
    assert {r.note for r in with_error.results} == {"", no_limits}
    assert {r.note for r in incomparable.results} == {other_unit, no_limits}
