"""Authenticated endpoints: sign the DCC of an issued record (whoever may issue it: an approver
of the issuing institution), fetch the stored signed DCC (whoever may read the record), and import a third-party DCC for a
measurement standard (whoever may update the standard). The public verification is
:func:`jiliang.certificates.views.verify_api`."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from rest_framework.decorators import api_view, parser_classes, permission_classes
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from jiliang import dcc
from jiliang.calibration import certificates, policy
from jiliang.calibration.models import Record
from jiliang.certificates.imports import import_dcc
from jiliang.certificates.models import ImportedCertificate, IssuedCertificate
from jiliang.errors import InvalidInput, NotFound
from jiliang.registry import policy as registry_policy
from jiliang.registry.models import MeasurementStandard
from jiliang.registry.policy import actor_for


def _summary(stored: IssuedCertificate) -> dict[str, object]:
    return {
        "number": stored.number,
        "record": stored.record_id,
        "sha256": stored.sha256,
        "key_name": stored.key_name,
        "signer_serial": stored.signer_serial,
        "signed_at": stored.signed_at.isoformat(),
    }


@api_view(["GET", "POST"])
@permission_classes([IsAuthenticated])
def record_dcc(request: Request, pk: int) -> HttpResponse | Response:
    """POST: sign and store the record's DCC (or return the stored one); GET: the stored signed
    bytes, or 404 saying that the DCC has not been signed yet and who can sign it."""
    actor = actor_for(request.user)
    record = get_object_or_404(Record.objects.select_related("institution"), pk=pk)
    if not policy.can_read(actor, record):
        raise NotFound("record", str(pk))
    if request.method == "POST":
        with transaction.atomic():
            return Response(_summary(certificates.sign(actor, record)), status=201)
    stored = certificates.stored(record)
    return HttpResponse(bytes(stored.signed_xml), content_type="application/xml")


def _imported(item: ImportedCertificate) -> dict[str, object]:
    return {
        "id": item.pk,
        "standard": item.standard_id,
        "record": item.record_id,
        "certificate": item.unique_identifier,
        "issuer": item.issuer,
        "schema_version": item.schema_version,
        "calibration_date": item.end_performance_date,
        "valid_until": item.valid_until,
        "cipm_mra_reference": item.cipm_mra_reference or None,
        "valid": item.valid,
        "signature": item.signature_status,
        "report": item.report,
    }


def _date(text: str) -> dt.date | None:
    if not text.strip():
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput("valid_until", f"{text!r} is not a date (YYYY-MM-DD)") from None


@api_view(["GET", "POST"])
@permission_classes([IsAuthenticated])
@parser_classes([MultiPartParser])
def standard_imports(request: Request, pk: int) -> Response:
    """POST (multipart ``file``, optional ``record`` id, ``valid_until``, ``cipm_mra_reference``):
    import a DCC; GET: the imported ones."""
    actor = actor_for(request.user)
    standard = get_object_or_404(MeasurementStandard, pk=pk)
    if request.method == "GET":
        return Response([_imported(i) for i in standard.imported_certificates.all()])
    registry_policy.require(actor, registry_policy.UPDATE, standard)
    upload = request.FILES.get("file")
    if upload is None:
        raise InvalidInput("file", "upload the DCC (XML) as multipart field 'file'")
    if upload.size is not None and upload.size > dcc.MAX_DOCUMENT_BYTES:
        raise InvalidInput("file", "the document is larger than 20 MB")
    record = None
    record_id = request.POST.get("record", "").strip()
    if record_id:
        if not record_id.isdigit():
            raise InvalidInput("record", "a record id is a number")
        record = Record.objects.filter(pk=int(record_id)).first()
        if record is None:
            raise InvalidInput("record", f"no record {record_id}")
    data = upload.read(dcc.MAX_DOCUMENT_BYTES + 1)
    item = import_dcc(
        standard,
        data,
        file_name=upload.name or "dcc.xml",
        by=actor.username,
        by_id=actor.user_id,
        record=record,
        valid_until=_date(request.POST.get("valid_until", "")),
        cipm_mra_reference=request.POST.get("cipm_mra_reference", ""),
    )
    return Response(_imported(item), status=201)
