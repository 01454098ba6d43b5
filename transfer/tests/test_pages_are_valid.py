import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.html import html_errors
from transfer.models import PendingImport

pytestmark = pytest.mark.django_db


def test_export_and_import_pages_are_valid_html(client_logged_in, user, java):
    url = reverse("accounts:import")
    documents = {
        "export": client_logged_in.get(reverse("accounts:export")).content.decode(),
        "import": client_logged_in.get(url).content.decode(),
        "import with an error": client_logged_in.post(
            url, {"format": "ticklist", "file": SimpleUploadedFile("x.json", b"{")}
        ).content.decode(),
    }
    client_logged_in.post(
        url,
        {
            "format": "markdown",
            "file": SimpleUploadedFile("x.md", b"# A\n- [ ] B\n  - [x] C\nD\n"),
        },
    )
    documents["preview"] = client_logged_in.get(url).content.decode()
    PendingImport.objects.update(state=PendingImport.State.QUEUED)
    documents["in the background"] = client_logged_in.get(url).content.decode()
    PendingImport.objects.update(state=PendingImport.State.DONE, message="Imported 1 task.")
    documents["done"] = client_logged_in.get(url).content.decode()

    assert html_errors(java, documents) == []


def test_the_import_page_reads_few_queries(client_logged_in, django_assert_max_num_queries):
    url = reverse("accounts:import")
    lines = "".join(f"- [ ] Task {n}\n" for n in range(300))
    client_logged_in.post(
        url, {"format": "markdown", "file": SimpleUploadedFile("x.md", lines.encode())}
    )
    with django_assert_max_num_queries(12):
        client_logged_in.get(url)
