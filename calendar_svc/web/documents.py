"""Documents over HTTP: `GET /api/documents[/<id>]` (public), `POST /api/documents` (upload or URL) and
`DELETE /api/documents/<id>` (retract), both admin (bearer token, calendar_svc.web.admin)."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from calendar_svc.documents import DocumentNotFound, document_json, list_documents, retract
from calendar_svc.fetch import FetchError
from calendar_svc.intake import Outcome, refused, take_bytes, take_url, upload_name
from calendar_svc.models import Document
from calendar_svc.openapi_documents import MAX_ID
from calendar_svc.web import db_session, settings
from calendar_svc.web.admin import _error, require_admin

bp = Blueprint("documents", __name__, url_prefix="/api/documents")

#: multipart overhead admitted on top of the document size limit
FORM_OVERHEAD = 64 * 1024


def sessions():
    """The app's session factory (ingest and retract run their own transactions)."""
    return current_app.extensions["calendar_svc.sessions"]


def clock():
    """The app clock."""
    return current_app.config["CLOCK"]


def _answer(outcome: Outcome):
    response = jsonify(outcome.body)
    response.status_code = outcome.status
    response.headers["Cache-Control"] = "no-store"
    if outcome.ok:
        response.headers["Location"] = f"/api/documents/{outcome.body['document']['id']}"
    return response


def take_upload() -> Outcome:
    """The request's multipart `file` or JSON `{"url"}`, taken in (shared with the admin page)."""
    policy = settings().intake
    request.max_content_length = policy.max_bytes + FORM_OVERHEAD  # larger bodies: 413 before parsing
    if request.mimetype == "application/json":
        body = request.get_json(silent=True)
        url = body.get("url") if isinstance(body, dict) else None
        if not isinstance(url, str) or not url.strip():
            return refused(FetchError('expected a JSON object {"url": "https://..."}'))
        return take_url(sessions(), url.strip(), policy, clock=clock())
    upload = request.files.get("file")
    if upload is None:
        return refused(FetchError("expected a multipart form with the document in the field 'file'"))
    try:
        name = upload_name(upload.filename)
    except FetchError as exc:
        return refused(exc)
    content = upload.stream.read(policy.max_bytes + 1)
    return take_bytes(sessions(), name, content, policy, clock=clock())


@bp.post("")
@require_admin
def create():
    return _answer(take_upload())


@bp.get("")
def index():
    response = jsonify(documents=[document_json(d) for d in list_documents(db_session())])
    response.headers["Cache-Control"] = "no-cache"
    return response


def document_id_of(raw: str) -> int | None:
    """A path segment as a document id: 1 to MAX_ID in plain digits, else None (a 404)."""
    if not raw.isascii() or not raw.isdigit() or len(raw) > 10 or not 1 <= int(raw) <= MAX_ID:
        return None
    return int(raw)


@bp.get("/<raw_id>")
def show(raw_id: str):
    document_id = document_id_of(raw_id)
    document = db_session().get(Document, document_id) if document_id else None
    if document is None:
        return _error(404, "Not Found", "no such document")
    response = jsonify(document_json(document))
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.delete("/<raw_id>")
@require_admin
def delete(raw_id: str):
    document_id = document_id_of(raw_id)
    try:
        if document_id is None:
            raise DocumentNotFound(raw_id)
        summary = retract(sessions(), document_id, clock=clock())
    except DocumentNotFound:
        return _error(404, "Not Found", "no such document")
    response = jsonify(summary.to_json())
    response.headers["Cache-Control"] = "no-store"
    return response
