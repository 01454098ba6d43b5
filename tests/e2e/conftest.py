"""Browser-test helpers: every page a test visits must pass axe-core."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Frame, Page

AXE = Axe()
# WCAG 2.0-2.2 A and AA plus axe's best practices; naming the tags also runs the rules axe
# leaves off by default, such as target-size (WCAG 2.2, 2.5.8).
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
# Collects the Content Security Policy violations of every page, from its first script on.
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
});
"""


# Resolves once the page has not scrolled for two frames in a row.
SCROLL_SETTLED = """new Promise((done) => {
  let last = -1;
  const look = () => {
    if (window.scrollY === last) { done(); return; }
    last = window.scrollY;
    requestAnimationFrame(() => setTimeout(look, 50));
  };
  look();
})"""


def without_fragment(url: str) -> str:
    """Treat a jump within a page (#main) as the same page."""
    return url.split("#", 1)[0]


class AccessibilityAudit:
    """Record the pages a browser visits; check each with axe-core and for CSP violations.

    axe is JavaScript, so a page in a context with JavaScript off is audited
    through a twin: the same URL and cookies in a context where script runs but
    the site's own scripts are blocked, which gives the same DOM a no-JS
    browser sees.
    """

    def __init__(
        self,
        page: Page,
        browser: Browser,
        *,
        javascript: bool = True,
        color_scheme: str = "light",
    ):
        self.page = page
        self.browser = browser
        self.javascript = javascript
        self.color_scheme = color_scheme  # the twin's, which cannot read the page's
        self.visited: list[str] = []
        self.audited: set[str] = set()
        page.on("framenavigated", self._record)
        if javascript:
            page.add_init_script(RECORD_CSP_VIOLATIONS)

    def _record(self, frame: Frame) -> None:
        if frame == self.page.main_frame and frame.url.startswith("http"):
            self.visited.append(without_fragment(frame.url))

    def check(self, *, leave_out: tuple[str, ...] = (), within: str | None = None) -> None:
        """Fail on any axe violation on the page as it is now (or in the part `within`),
        but for the rules left out."""
        options = {**AXE_OPTIONS, "rules": {rule: {"enabled": False} for rule in leave_out}}
        self.page.wait_for_load_state("load")
        url = without_fragment(self.page.url)
        self.audited.add(url)
        if self.javascript:
            self.assert_no_csp_violations()
            # Colours caught mid-transition (after a theme switch) are not what people see.
            self.page.evaluate("document.getAnimations().forEach((a) => a.finish())")
            # Nor is a page caught mid-way through a smooth scroll (to an anchor, or to a
            # field that took focus): targets passing under the sticky header look crowded.
            self.page.evaluate(SCROLL_SETTLED)
            results = AXE.run(self.page, context=within, options=options)
        else:
            context = self.browser.new_context(
                storage_state=self.page.context.storage_state(),
                viewport=self.page.viewport_size,
                color_scheme=self.color_scheme,
            )
            try:
                twin = context.new_page()
                twin.route("**/*.js", lambda route: route.abort())
                twin.goto(url)
                results = AXE.run(twin, context=within, options=options)
            finally:
                context.close()
        assert results.violations_count == 0, (
            f"axe found violations on {url}:\n{results.generate_report()}"
        )

    def check_open_menu(self, menu: str) -> None:
        """Check a page with a menu open: all of it, but for the targets the menu covers
        (axe counts them as too small while they are out of reach), then the menu in full."""
        self.check(leave_out=("target-size",))
        self.check(within=menu)

    def assert_no_csp_violations(self) -> None:
        violations = self.page.evaluate("window.__cspViolations || []")
        assert violations == [], f"CSP violations on {self.page.url}: {violations}"

    def assert_every_page_checked(self) -> None:
        missed = [url for url in dict.fromkeys(self.visited) if url not in self.audited]
        assert not missed, f"pages visited without an axe check: {missed}"


@pytest.fixture
def axe_for(browser: Browser):
    """Return a function that starts an audit of a page, checked for gaps at teardown."""
    audits: list[AccessibilityAudit] = []

    def start(
        page: Page, *, javascript: bool = True, color_scheme: str = "light"
    ) -> AccessibilityAudit:
        audits.append(
            AccessibilityAudit(page, browser, javascript=javascript, color_scheme=color_scheme)
        )
        return audits[-1]

    yield start
    for audit in audits:
        audit.assert_every_page_checked()


@pytest.fixture(autouse=True)
def _fail_fast(context):
    """Fail a step after 10 s rather than Playwright's 30 s: nothing here is that slow."""
    context.set_default_timeout(10_000)


@pytest.fixture
def axe(axe_for, page: Page) -> AccessibilityAudit:
    return axe_for(page)
