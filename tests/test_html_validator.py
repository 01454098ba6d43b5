from tests.html import html_errors


def test_validator_reports_invalid_markup(java):
    errors = html_errors(
        java,
        {
            "good": "<!doctype html><html lang=en><title>Fine</title><p>Fine</p></html>",
            "bad": '<!doctype html><html lang=en><title>Bad</title><p hx-get="/x">Bad</html>',
        },
    )

    assert len(errors) == 1
    assert errors[0].startswith("bad ")
    assert "hx-get" in errors[0]
