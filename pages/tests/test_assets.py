import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.templatetags.static import static
from django.urls import reverse

from conftest import skip_or_fail
from pages.templatetags.ui import sprite_icons

ROOT = Path(settings.BASE_DIR)
# As bin/build-assets.mjs reads them.
TEMPLATE_ICON = re.compile(r"""\{%\s*icon\s+["']([a-z0-9-]+)["']""")
SCRIPT_ICON = re.compile(r"(?:icons\.svg#|\bbi-)([a-z0-9]+(?:-[a-z0-9]+)*)")


def render(source: str, **context) -> str:
    return Template("{% load ui %}" + source).render(Context(context))


def named_icons() -> dict[str, set[str]]:
    """Return each icon name the templates and scripts write, with the files that write it."""
    found: dict[str, set[str]] = {}
    for folder, suffix, pattern in [
        ("templates", ".html", TEMPLATE_ICON),
        ("static/js", ".js", SCRIPT_ICON),
    ]:
        for path in (ROOT / folder).rglob(f"*{suffix}"):
            for name in pattern.findall(path.read_text()):
                found.setdefault(name, set()).add(str(path.relative_to(ROOT)))
    return found


def test_sprite_holds_every_icon_the_templates_and_scripts_name():
    named = named_icons()
    missing = {name: sorted(paths) for name, paths in named.items() if name not in sprite_icons()}

    assert len(named) > 20, "the scan should find the icons the templates use"
    assert missing == {}, "run 'make assets' and commit static/img/icons.svg"


def test_sprite_holds_no_icon_nothing_names():
    assert sprite_icons() - named_icons().keys() == set()


def test_icon_is_decoration_from_the_sprite():
    html = render('{% icon "gear" %}')

    assert (
        html
        == f'<svg class="icon" aria-hidden="true"><use href="{static("img/icons.svg")}#gear"/></svg>'
    )


def test_icon_with_a_label_is_an_image_with_that_name():
    html = render('{% icon "star-fill" label %}', label="Favourite <3")

    assert 'role="img" aria-label="Favourite &lt;3"' in html
    assert "aria-hidden" not in html


def test_unknown_icon_fails_loudly():
    with pytest.raises(ValueError, match="No icon 'no-such-icon'"):
        render('{% icon "no-such-icon" %}')


@pytest.mark.django_db
def test_head_links_one_stylesheet_and_blocks_on_no_script(client):
    html = client.get(reverse("pages:about")).content.decode()
    head = html.split("</head>", 1)[0]
    stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', head)
    external = re.findall(r"<script [^>]*src=[^>]*>", head)
    inline = re.findall(r"<script nonce=\"[^\"]+\">([^<]*)</script>", head)

    assert stylesheets == [static("dist/app.css")]
    assert external, "Bootstrap's and htmx's scripts load from the head"
    assert all(" defer" in tag for tag in external), external
    assert inline == ['document.documentElement.classList.remove("no-js")']
    assert "bootstrap-icons" not in html
    assert '<i class="bi' not in html


def test_built_assets_match_their_sources():
    """Fail when a source changed without `make assets`: the built files are committed."""
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "purgecss").is_dir():
        skip_or_fail("No node or node_modules to rebuild the assets: run 'npm ci'.")
    done = subprocess.run(
        [node, "bin/build-assets.mjs", "--check"],
        cwd=ROOT,
        env={**os.environ, "PYTHON": sys.executable},
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode == 0, done.stderr


def test_dark_rules_are_repeated_for_the_device_setting():
    css = (ROOT / "static/dist/app.css").read_text()
    chosen = re.findall(r"(?<![\w(])\[data-bs-theme=dark\]\{([^}]*)\}", css)
    device = re.findall(
        r"@media \(prefers-color-scheme:dark\)\{:root:not\(:where\(\[data-bs-theme=light\]\)\)\{([^}]*)\}",
        css,
    )

    assert len(chosen) >= 3, "Bootstrap's, tokens.css's and site.css's dark values"
    assert device == chosen
