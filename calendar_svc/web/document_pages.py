"""HTML pages for documents: the public list (`/documents`) and the admin page (`/admin`).

The admin page signs in with the admin token (CALENDAR_SVC_ADMIN_TOKEN, compared in constant time) and
keeps the sign-in in Flask's signed session cookie (HttpOnly, SameSite=Strict, Secure behind https;
8 hours). The cookie's signing key is derived from the token, so changing the token signs everyone out,
and the cookie holds no token. Every form carries a per-session CSRF token, checked in constant time on
every POST, login included. The token is never echoed into a page, a redirect or a log.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from calendar_svc.documents import DocumentNotFound, list_documents, retract
from calendar_svc.fetch import shown_url
from calendar_svc.web import db_session, settings
from calendar_svc.web.documents import FORM_OVERHEAD, clock, sessions, take_upload
from calendar_svc.web.pages import today

bp = Blueprint("document_pages", __name__)

SESSION_HOURS = 8
_KEY_CONTEXT = b"calendar-svc admin session key"


@bp.record_once
def _configure(state) -> None:
    """The session cookie of the admin page: key derived from the admin token, strict cookie flags."""
    app = state.app
    token = app.config["SETTINGS"].admin_token
    if token:
        app.secret_key = hmac.new(token.encode("utf-8"), _KEY_CONTEXT, hashlib.sha256).hexdigest()
    app.config.update(
        SESSION_COOKIE_NAME="calendar_svc_admin",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_SECURE=app.config["SETTINGS"].base_url.startswith("https://"),
        PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=SESSION_HOURS),
    )


bp.add_app_template_global(shown_url, "shown_url")


@bp.app_template_global("csrf_token")
def csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def _check_csrf() -> None:
    expected = session.get("csrf")
    supplied = request.form.get("csrf", "")
    if not expected or not hmac.compare_digest(supplied.encode("utf-8"), expected.encode("utf-8")):
        abort(400, description="the form expired or did not come from this site; reload the page and retry")


def _signed_in() -> bool:
    return session.get("admin") is True


def _no_store(response: Response | str) -> Response:
    response = make_response(response)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/documents")
def documents():
    return render_template("documents.html", documents=list_documents(db_session()), today=today())


@bp.get("/admin")
def admin():
    if not settings().admin_token:
        abort(503, description="the admin page is disabled: no admin token is configured")
    page = render_template(
        "admin.html",
        signed_in=_signed_in(),
        documents=list_documents(db_session()) if _signed_in() else [],
        today=today(),
        max_bytes=settings().intake.max_bytes,
    )
    return _no_store(page)


@bp.post("/admin/login")
def login():
    expected = settings().admin_token
    if not expected:
        abort(503, description="the admin page is disabled: no admin token is configured")
    _check_csrf()
    supplied = request.form.get("token", "")
    if not hmac.compare_digest(supplied.encode("utf-8"), expected.encode("utf-8")):
        flash("That token is not valid.", "error")
        return _no_store(redirect(url_for("document_pages.admin"), 303))
    session.clear()  # a fresh session (and CSRF token) after signing in
    session.permanent = True
    session["admin"] = True
    return _no_store(redirect(url_for("document_pages.admin"), 303))


@bp.post("/admin/logout")
def logout():
    _check_csrf()
    session.clear()
    return _no_store(redirect(url_for("document_pages.admin"), 303))


def _admin_post() -> None:
    request.max_content_length = settings().intake.max_bytes + FORM_OVERHEAD  # before the form is read
    if not settings().admin_token:
        abort(503, description="the admin page is disabled: no admin token is configured")
    _check_csrf()
    if not _signed_in():
        abort(401, description="sign in on the admin page first")


@bp.post("/admin/documents")
def upload():
    _admin_post()
    if not request.files.get("file") or not request.files["file"].filename:
        if request.form.get("url", "").strip():
            return _upload_url()
        flash("Choose a file or give a URL.", "error")
        return _no_store(redirect(url_for("document_pages.admin"), 303))
    return _report(take_upload())


def _upload_url():
    from calendar_svc.intake import take_url

    return _report(take_url(sessions(), request.form["url"].strip(), settings().intake, clock=clock()))


def _report(outcome):
    if outcome.ok:
        doc, summary = outcome.body["document"], outcome.body["summary"]
        state = "unchanged (already stored)" if outcome.status == 200 else "ingested"
        flash(
            f"{doc['name']} {state}: layout {summary['layout']}, {summary['events']} events "
            f"({summary['new']} new, {summary['updated']} updated, {summary['unchanged']} unchanged).",
            "ok",
        )
    else:
        flash(outcome.body["message"], "error")
    return _no_store(redirect(url_for("document_pages.admin"), 303))


@bp.post("/admin/documents/<int(max=2147483647):document_id>/retract")
def retract_document(document_id: int):
    _admin_post()
    try:
        summary = retract(sessions(), document_id, clock=clock())
    except DocumentNotFound:
        abort(404, description=f"no document {document_id}")
    flash(
        f"{summary.document['name']} retracted: {len(summary.reverted)} events reverted, "
        f"{len(summary.cancelled)} cancelled.",
        "ok",
    )
    return _no_store(redirect(url_for("document_pages.admin"), 303))
