"""The API's OpenAPI schema and its browsable docs, served from our own files."""

import jsonschema
import yaml
from django.test import Client

from accounts import tokens
from accounts.models import TokenScope
from api.problems import PROBLEM_TYPE


def test_the_schema_is_openapi_3_and_names_the_token_scheme(db):
    response = Client().get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/me/" in schema["paths"]
    assert schema["components"]["securitySchemes"]["personalAccessToken"]["scheme"] == "bearer"


def test_the_docs_load_nothing_from_elsewhere_and_nothing_inline_without_the_nonce(db):
    response = Client().get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    policy = response["Content-Security-Policy"]
    assert "http://" not in html.replace("http://testserver", "")
    assert "https://" not in html
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'<style nonce="{nonce}">' in html
    assert "<script>" not in html
    script = Client().get("/api/docs/?script=")
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()


def test_the_browsable_api_keeps_to_the_content_security_policy(client_logged_in):
    response = client_logged_in.get("/api/v1/tasks/", HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    html = response.content.decode()
    nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert "<style>" not in html
    assert f'<style nonce="{nonce}">' in html
    assert "<script>" not in html


def schema_and_problem(response) -> tuple[dict, dict]:
    schema = yaml.safe_load(Client().get("/api/schema/").content)
    return schema, response.json()


def documented(schema: dict, path: str, method: str, status: int) -> dict:
    """Return the schema documented for this status, with its $ref to Problem resolved."""
    response = schema["paths"][path][method]["responses"][str(status)]
    ref = response["content"][PROBLEM_TYPE]["schema"]["$ref"]
    return schema["components"]["schemas"][ref.rsplit("/", 1)[1]]


def test_a_request_without_a_token_gets_the_401_problem_the_schema_documents(db):
    response = Client().get("/api/v1/me/")
    schema, problem = schema_and_problem(response)

    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM_TYPE
    jsonschema.validate(problem, documented(schema, "/api/v1/me/", "get", 401))
    assert (
        "WWW-Authenticate" in schema["paths"]["/api/v1/me/"]["get"]["responses"]["401"]["headers"]
    )


def test_a_read_only_token_is_refused_a_write_with_the_403_the_schema_documents(user):
    _, secret = tokens.create(owner=user, name="Reader", scope=TokenScope.READ)
    client = Client(headers={"Authorization": f"Bearer {secret}"})

    response = client.patch("/api/v1/me/", {"week_start": 1}, content_type="application/json")
    schema, problem = schema_and_problem(response)

    assert response.status_code == 403
    jsonschema.validate(problem, documented(schema, "/api/v1/me/", "patch", 403))
    # A read is never refused to a signed-in person, so none is documented.
    assert "403" not in schema["paths"]["/api/v1/me/"]["get"]["responses"]


def test_an_invalid_field_gets_the_400_problem_with_its_errors(user):
    _, secret = tokens.create(owner=user, name="Writer", scope=TokenScope.WRITE)
    client = Client(headers={"Authorization": f"Bearer {secret}"})

    response = client.patch(
        "/api/v1/me/", {"timezone": "Atlantis"}, content_type="application/json"
    )
    schema, problem = schema_and_problem(response)

    assert response.status_code == 400
    jsonschema.validate(problem, documented(schema, "/api/v1/me/", "patch", 400))
    assert "timezone" in problem["errors"]


def test_a_body_that_is_not_json_gets_the_415_the_schema_documents(user):
    _, secret = tokens.create(owner=user, name="Writer", scope=TokenScope.WRITE)
    client = Client(headers={"Authorization": f"Bearer {secret}"})

    response = client.patch("/api/v1/me/", "week_start=1", content_type="text/plain")
    schema, problem = schema_and_problem(response)

    assert response.status_code == 415
    jsonschema.validate(problem, documented(schema, "/api/v1/me/", "patch", 415))
