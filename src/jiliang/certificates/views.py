"""Public pages (no login): verify a certificate, and the certificate itself (exact signed XML)
and its human-readable copy (HTML/PDF with a QR code of the verification page).

The XML and the copy are served under a capability URL that includes the first 16 hex digits of
the certificate's SHA-256: whoever holds the certificate (or scanned its copy) can fetch it again,
but a guessed certificate number reveals only what the verification page shows."""

from __future__ import annotations

import json

from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from jiliang import dcc
from jiliang.calibration import certificates, policy
from jiliang.calibration.models import Record
from jiliang.certificates import ratelimit, verification
from jiliang.certificates.models import IssuedCertificate
from jiliang.errors import InvalidInput, JiliangError
from jiliang.platform.problems import http_status
from jiliang.registry.policy import Actor, actor_for


def _too_many(request: HttpRequest, api: bool) -> HttpResponse:
    detail = _("Too many verification requests; try again in a minute.")
    if api:
        body = {"type": "about:blank", "title": "Too Many Requests", "status": 429, "detail": detail}
        return HttpResponse(json.dumps(body), status=429, content_type="application/problem+json")
    return render(request, "certificates/verify.html", {"error": detail}, status=429)


def _upload(request: HttpRequest) -> bytes:
    upload = request.FILES.get("file")
    if upload is None:
        raise InvalidInput("file", "choose a DCC file (XML) to upload")
    if upload.size is not None and upload.size > dcc.MAX_DOCUMENT_BYTES:
        raise InvalidInput("file", "the document is larger than 20 MB")
    return upload.read(dcc.MAX_DOCUMENT_BYTES + 1)


def _verdicts(request: HttpRequest, number: str | None) -> list[verification.Verdict]:
    if request.method == "POST":
        return [verification.by_document(_upload(request))]
    return verification.by_number(number if number is not None else request.GET.get("number", ""))


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest, number: str | None = None) -> HttpResponse:
    searched = request.method == "POST" or number is not None or "number" in request.GET
    if searched and not ratelimit.allow(request, "verify"):
        return _too_many(request, api=False)
    context: dict[str, object] = {"number": number or request.GET.get("number", "")}
    status = 200
    if searched:
        try:
            context["verdicts"] = _verdicts(request, number)
        except InvalidInput as exc:
            context["error"] = exc.reason
            status = 413 if "20 MB" in exc.reason else 400
    return render(request, "certificates/verify.html", context, status=status)


@csrf_exempt  # a public, anonymous API: no session, nothing to forge
@require_http_methods(["GET", "POST"])
def verify_api(request: HttpRequest, number: str | None = None) -> HttpResponse:
    if not ratelimit.allow(request, "verify"):
        return _too_many(request, api=True)
    try:
        verdicts = _verdicts(request, number)
    except InvalidInput as exc:
        status = 413 if "20 MB" in exc.reason else 400
        body = {"type": "about:blank", "title": "Invalid input", "status": status, "detail": exc.reason,
                "errors": [{"field": exc.field, "reason": exc.reason}]}  # fmt: skip
        return HttpResponse(json.dumps(body), status=status, content_type="application/problem+json")
    return JsonResponse({"results": [v.to_dict() for v in verdicts]})


def _stored(number: str, digest: str) -> IssuedCertificate:
    return get_object_or_404(IssuedCertificate, number=number, sha256__startswith=digest.lower()[:16])


def verification_url(request: HttpRequest, number: str) -> str:
    return request.build_absolute_uri(reverse("certificates:verify-number", args=[number]))


def signed_xml(request: HttpRequest, number: str, digest: str) -> HttpResponse:
    stored = _stored(number, digest)
    response = HttpResponse(bytes(stored.signed_xml), content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="{stored.number}.xml"'
    return response


def copy(request: HttpRequest, number: str, digest: str, fmt: str) -> HttpResponse:
    from jiliang.render.dcc_html import render_html
    from jiliang.render.dcc_pdf import render_pdf

    stored = _stored(number, digest)
    cert = dcc.parse(bytes(stored.signed_xml))
    url = verification_url(request, stored.number)
    if fmt == "pdf":
        response = HttpResponse(render_pdf(cert, verification_url=url), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{stored.number}.pdf"'
        return response
    return HttpResponse(render_html(cert, verification_url=url), content_type="text/html; charset=utf-8")


_DOWNLOADS = {"xml": "certificates:xml", "pdf": "certificates:copy-pdf"}


def _readable(request: HttpRequest, pk: int) -> tuple[Actor, Record]:
    actor = actor_for(request.user)
    record = policy.visible(actor, Record.objects.select_related("institution")).filter(pk=pk).first()
    if record is None:
        raise Http404("record")
    return actor, record


def _unavailable(request: HttpRequest, actor: Actor, record: Record, exc: JiliangError) -> HttpResponse:
    context = {
        "record": record,
        "error": str(exc),
        "not_signed": isinstance(exc, certificates.DccNotSigned),
        "can_sign": policy.can(actor, policy.ISSUE, record),
    }
    return render(request, "certificates/unavailable.html", context, status=http_status(exc))


def record_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The record page's "download DCC" / "PDF" links (login, read permission): a redirect to the
    capability URL of the stored signed DCC, which serves its exact bytes. Nothing is signed here:
    a record whose DCC has not been signed yet gets a page saying so and who can sign it (404)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    actor, record = _readable(request, pk)
    try:
        stored = certificates.stored(record)
    except JiliangError as exc:
        return _unavailable(request, actor, record, exc)
    return redirect(reverse(_DOWNLOADS[fmt], args=[stored.number, stored.sha256[:16]]))


@require_POST
def record_sign(request: HttpRequest, pk: int) -> HttpResponse:
    """The record page's "Sign DCC" button (POST, CSRF-protected): whoever may issue the record
    signs and stores its DCC (:func:`jiliang.calibration.certificates.sign`), then back to the record."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("calibration:record-detail", args=[pk]))
    actor, record = _readable(request, pk)
    try:
        with transaction.atomic():
            certificates.sign(actor, record)
    except JiliangError as exc:
        return _unavailable(request, actor, record, exc)
    return redirect(reverse("calibration:record-detail", args=[record.pk]))
