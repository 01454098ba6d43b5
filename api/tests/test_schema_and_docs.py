"""The API's OpenAPI schema and its browsable docs, served from our own files."""

import yaml
from django.test import Client


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
