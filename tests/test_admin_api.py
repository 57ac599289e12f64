"""Admin JSON API for reminder subscriptions: bearer-token auth (constant-time), CRUD, masked URLs."""

from __future__ import annotations

import pytest
from openapi_schema_validator import OAS30Validator
from test_reminders_targets import TOKEN

ADMIN = {"Authorization": "Bearer test-admin-token"}
URL = f"json://hook:{TOKEN}@127.0.0.1:8080/hooks/{TOKEN}"


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong-token"},
        {"Authorization": "Bearer "},
        {"Authorization": "test-admin-token"},
        {"Authorization": "Basic dGVzdC1hZG1pbi10b2tlbg=="},
        {"Authorization": "Bearer test-admin-token-and-more"},
    ],
)
def test_every_route_needs_the_token(client, headers):
    for method, path in (
        ("get", "/api/subscriptions"),
        ("post", "/api/subscriptions"),
        ("get", "/api/subscriptions/1"),
        ("delete", "/api/subscriptions/1"),
    ):
        response = getattr(client, method)(path, headers=headers, json={"url": URL})
        assert response.status_code == 401, (method, path)
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert response.get_json()["status"] == 401


def test_token_is_compared_in_constant_time(client, monkeypatch):
    import calendar_svc.web.admin as admin

    calls = []
    real = admin.hmac.compare_digest

    def spy(a, b):
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(admin.hmac, "compare_digest", spy)
    assert client.get("/api/subscriptions", headers={"Authorization": "Bearer nope"}).status_code == 401
    assert client.get("/api/subscriptions", headers=ADMIN).status_code == 200
    assert calls == [(b"nope", b"test-admin-token"), (b"test-admin-token", b"test-admin-token")]


def test_no_configured_token_disables_the_admin_api(db_url):
    from calendar_svc.app import create_app
    from calendar_svc.config import Settings

    app = create_app(Settings(database_url=db_url, admin_token=None))
    try:
        response = app.test_client().get("/api/subscriptions", headers={"Authorization": "Bearer "})
        assert response.status_code == 503
        assert "no admin token configured" in response.get_json()["message"]
    finally:
        app.extensions["calendar_svc.engine"].dispose()


def test_create_list_show_delete_with_masked_urls(client):
    created = client.post(
        "/api/subscriptions",
        headers=ADMIN,
        json={"name": "Rabat desk", "urls": [URL], "countries": ["ma"], "processes": ["rabat-process"],
              "leads": ["3d", "2h"], "include_tentative": False, "change_notices": False},
    )  # fmt: skip
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["targets"] == ["json://…@127.0.0.1:8080/…"]
    assert body["countries"] == ["MA"] and body["leads"] == ["3d", "2h"]
    assert (body["include_tentative"], body["change_notices"], body["active"]) == (False, False, True)
    assert created.headers["Location"] == f"/api/subscriptions/{body['id']}"

    listed = client.get("/api/subscriptions", headers=ADMIN)
    shown = client.get(f"/api/subscriptions/{body['id']}", headers=ADMIN)
    assert listed.get_json()["subscriptions"][0]["id"] == body["id"]
    assert shown.get_json()["deliveries"] == {}
    for response in (created, listed, shown):
        assert TOKEN not in response.get_data(as_text=True)
        assert response.headers["Cache-Control"] == "no-store"

    assert client.delete(f"/api/subscriptions/{body['id']}", headers=ADMIN).status_code == 204
    assert client.get(f"/api/subscriptions/{body['id']}", headers=ADMIN).status_code == 404
    assert client.delete(f"/api/subscriptions/{body['id']}", headers=ADMIN).status_code == 404
    assert client.get("/api/subscriptions", headers=ADMIN).get_json() == {"subscriptions": []}


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"url": f"file:///tmp/{TOKEN}"}, "file://"),
        ({"url": f"nosuch://{TOKEN}"}, "does not recognise"),
        ({"urls": []}, "at least one Apprise URL"),
        ({"url": URL, "leads": ["soon"]}, "lead time"),
        ({"url": URL, "countries": ["Morocco"]}, "country code"),
        ({"url": URL, "change_notices": "yes"}, "true or false"),
        ({"url": URL, "countries": "MA,TN,XX,YY,ZZ"}, "country code"),
    ],
)
def test_invalid_subscriptions_get_400_without_echoing_the_url(client, payload, message):
    response = client.post("/api/subscriptions", headers=ADMIN, json=payload)
    assert response.status_code == 400
    assert message in response.get_json()["message"]
    assert TOKEN not in response.get_data(as_text=True)
    assert client.get("/api/subscriptions", headers=ADMIN).get_json() == {"subscriptions": []}


def test_non_json_body_is_a_400(client):
    response = client.post("/api/subscriptions", headers=ADMIN, data="url=x")
    assert response.status_code == 400


def _documented(spec: dict, path: str, method: str, status: int) -> OAS30Validator:
    """A validator for the body the OpenAPI description documents for this answer."""
    answer = spec["paths"][path][method]["responses"][str(status)]
    return OAS30Validator({**answer["content"]["application/json"]["schema"], "components": spec["components"]})


def test_answers_are_the_ones_openapi_describes(client):
    """Every admin answer, including errors, validates against /openapi.json; a body missing a required
    field does not, so the check can fail."""
    spec = client.get("/openapi.json").get_json()
    request_schema = spec["paths"]["/api/subscriptions"]["post"]["requestBody"]["content"]["application/json"]
    digest = {"period": "weekly", "day": "friday", "hour": 8, "timezone": "Europe/Brussels", "weeks": 2}
    bodies = [{"url": URL, "countries": ["MA"], "leads": ["3d"]}, {"urls": [URL], "digest": digest}]
    for body in bodies:
        OAS30Validator({**request_schema["schema"], "components": spec["components"]}).validate(body)
    created = [client.post("/api/subscriptions", headers=ADMIN, json=body) for body in bodies]
    collection, one = "/api/subscriptions", "/api/subscriptions/{id}"
    answers = [
        *((collection, "post", response) for response in created),
        (collection, "get", client.get(collection, headers=ADMIN)),
        (one, "get", client.get(f"/api/subscriptions/{created[1].get_json()['id']}", headers=ADMIN)),
        (one, "get", client.get("/api/subscriptions/99999", headers=ADMIN)),
        (one, "delete", client.delete("/api/subscriptions/99999", headers=ADMIN)),
        (collection, "post", client.post(collection, headers=ADMIN, json={"url": URL, "leads": ["soon"]})),
        (collection, "get", client.get(collection)),
    ]
    assert [response.status_code for *_, response in answers] == [
        201, 201, 200, 200, 404, 404, 400, 401]  # fmt: skip
    for path, method, response in answers:
        _documented(spec, path, method, response.status_code).validate(response.get_json())
    assert created[1].get_json()["digest"]["day"] == "friday"
    assert "201" in spec["paths"][collection]["post"]["responses"]
    incomplete = {k: v for k, v in created[0].get_json().items() if k != "targets"}
    assert not _documented(spec, collection, "post", 201).is_valid(incomplete)
