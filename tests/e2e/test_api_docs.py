"""The API's documentation page: served from our own files, within the CSP, accessible."""

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_developer_reads_the_api_documentation(live_server, page: Page, axe, scheme):
    page.emulate_media(color_scheme=scheme)
    page.goto(live_server.url + "/api/docs/")

    expect(page.get_by_text("/api/v1/tasks/quick-add/")).to_be_visible()
    # Once Swagger UI has drawn the schema, the page still has one h1.
    expect(page.get_by_role("heading", level=1)).to_have_text("Ticklist API")
    axe.check()
