"""A corpus of hostile strings: injections, template syntax, SQL, Unicode oddities, huge input."""

import itertools

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    '"><script>alert(document.cookie)</script>',
    "'><iframe src=javascript:alert(1)>",
    "javascript:alert(1)",
    '<a href="javascript:alert(1)">x</a>',
    "<body onload=alert(1)>",
    "<style>*{display:none}</style>",
    "<meta http-equiv=refresh content=0;url=//evil.example>",
    "<base href=//evil.example/>",
    "<form action=//evil.example><button>go</button></form>",
    '" onmouseover="alert(1)',
    "' onfocus='alert(1)' autofocus='",
    "<!--",
    "]]><![CDATA[",
    "{{ settings.SECRET_KEY }}",
    "{% debug %}",
    "{% load static %}{% static 'x' %}",
    "${7*7}",
    "#{7*7}",
    "<%= 7*7 %>",
    "{{7*7}}",
    "'; DROP TABLE todos_task; --",
    '" OR 1=1 --',
    "1' OR '1'='1",
    "admin'--",
    "%' OR title LIKE '%",
    "\\x00",
    "\x00",
    "null\x00byte",
    "\x07\x08\x0b\x0c\x1b[31mred",
    "\r\nSet-Cookie: evil=1",
    "\u202eevil\u202c",
    "\u200b\u200c\u200d\ufeff",
    "\u0000\u0001\u0002",
    "\U0001d518\U0001d52b\U0001d526\U0001d520\U0001d52c\U0001d521\U0001d522"  # "Unicode" in mathematical fraktur,
    "👩‍👩‍👧‍👦🏳️‍🌈",
    "Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǫ̗",
    "ﷺ",
    "עברית RTL טקסט",
    "مرحبا بالعالم",
    "\ud7ff\ue000\uffff",
    "../../../etc/passwd",
    "%2e%2e%2f%2e%2e%2f",
    "%00",
    "&lt;script&gt;",
    "&#60;script&#62;",
    "\\u003cscript\\u003e",
    "#Home @bills p1 tomorrow",
    '"unclosed',
    "@" * 60,
    "#" * 60,
    "p1 " * 50,
    "in 99999999999 days",
    "2026-99-99",
    "\t\n\r",
    "   ",
    "",
    "a" * 501,
    "x" * 10_001,
    "A" * 70_000,
]
WRAPPERS = [
    "{}",
    "Task {}",
    "{} tomorrow",
    '"{}"',
    "{} #Inbox",
    "<b>{}</b>",
    "{}\u202e",
    " {} ",
    "{}{}",
]


def corpus() -> list[str]:
    """Return at least 500 distinct hostile strings."""
    strings = dict.fromkeys(
        wrapper.replace("{}", payload) if wrapper != "{}{}" else payload * 2
        for payload, wrapper in itertools.product(PAYLOADS, WRAPPERS)
    )
    return list(strings)
