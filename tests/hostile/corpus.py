"""Hostile input: what articles from the open web, an editor's paste or a visitor's URL may carry.

Each payload has a name (its id in test reports) and a kind. Payloads the archive can store
(`STORABLE`) go into every field of an article file and every edit field; the rest must be
refused with a clear message: NUL characters and lone surrogates (PostgreSQL text cannot hold
them), and invalid UTF-8 (`INVALID_UTF8`, bytes, for files, uploads and raw bodies).

Script-bearing payloads call `alert("<name>")`, so a browser that runs one shows a dialog the
browser test is listening for.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Payload:
    name: str
    kind: str
    text: str


def _p(kind: str, *items: tuple[str, str]) -> list[Payload]:
    return [Payload(name, kind, text) for name, text in items]


PAYLOADS: list[Payload] = [
    *_p(
        "script",
        ("script-tag", '<script>alert("script-tag")</script>'),
        ("script-src", "<SCRIPT SRC=//evil.example/x.js></SCRIPT>"),
        ("script-breakout", '</script><script>alert("script-breakout")</script>'),
        ("script-split", '<scr<script>ipt>alert("script-split")</scr</script>ipt>'),
        ("script-comment", '<script>/*</script><!--*/alert("script-comment")//-->'),
        ("style-breakout", '</style><script>alert("style-breakout")</script>'),
        ("textarea-breakout", '</textarea><script>alert("textarea-breakout")</script>'),
        ("title-breakout", '</title><script>alert("title-breakout")</script>'),
    ),
    *_p(
        "event-handler",
        ("img-onerror", '<img src=x onerror=alert("img-onerror")>'),
        ("svg-onload", '<svg onload=alert("svg-onload")>'),
        ("body-onload", '<body onload=alert("body-onload")>'),
        ("attr-double", '" onmouseover="alert(\'attr-double\')" x="'),
        ("attr-single", "' onfocus='alert(\"attr-single\")' autofocus x='"),
        ("attr-unquoted", 'x autofocus onfocus=alert("attr-unquoted") y'),
        ("details-ontoggle", '<details open ontoggle=alert("details-ontoggle")>'),
        ("input-autofocus", '<input autofocus onfocus=alert("input-autofocus")>'),
        ("video-source", '<video><source onerror=alert("video-source")></video>'),
        ("style-url", "<div style=\"background:url(javascript:alert('style-url'))\">x</div>"),
        ("htmx-attr", '<div hx-get="/logout" hx-trigger="load" hx-on:load="alert(1)">x</div>'),
    ),
    *_p(
        "url",
        ("js-url", 'javascript:alert("js-url")'),
        ("js-url-case", 'JaVaScRiPt:alert("js-url-case")'),
        ("js-url-space", '  javascript:alert("js-url-space")'),
        ("js-url-tab", 'java\tscript:alert("js-url-tab")'),
        ("js-url-entity", "&#106;avascript:alert('js-url-entity')"),
        ("data-url", "data:text/html;base64,PHNjcmlwdD5hbGVydCgiZGF0YS11cmwiKTwvc2NyaXB0Pg=="),
        ("data-svg", 'data:image/svg+xml,<svg onload=alert("data-svg")>'),
        ("vbscript-url", 'vbscript:msgbox("vbscript-url")'),
        ("http-markup", 'https://example.org/"><script>alert("http-markup")</script>'),
        ("http-quote", "https://example.org/x'onmouseover='alert(1)"),
        ("protocol-relative", "//evil.example/%2e%2e"),
        ("markdown-link", "[click](javascript:alert('markdown-link'))"),
    ),
    *_p(
        "svg-mathml",
        ("svg-script", '<svg><script>alert("svg-script")</script></svg>'),
        (
            "svg-xlink",
            "<svg><a xlink:href=\"javascript:alert('svg-xlink')\"><text>x</text></a></svg>",
        ),
        ("svg-animate", '<svg><animate onbegin=alert("svg-animate") attributeName=x dur=1s>'),
        (
            "svg-foreign",
            "<svg><foreignObject><iframe srcdoc=\"<script>alert('svg-foreign')</script>\">"
            "</iframe></foreignObject></svg>",
        ),
        (
            "mathml-mxss",
            '<math><mtext><table><mglyph><style><img src=x onerror=alert("mathml-mxss")>',
        ),
        ("mathml-href", "<math href=\"javascript:alert('mathml-href')\">CLICK</math>"),
    ),
    *_p(
        "html",
        ("iframe-js", "<iframe src=\"javascript:alert('iframe-js')\"></iframe>"),
        ("base-href", '<base href="https://evil.example/">'),
        ("meta-refresh", '<meta http-equiv="refresh" content="0;url=https://evil.example">'),
        ("form-action", '<form action="https://evil.example"><button>Go</button></form>'),
        ("open-comment", "<!-- the rest of the page is a comment"),
        ("style-tag", "<style>body{display:none}</style>"),
        (
            "noscript-mxss",
            "<noscript><p title=\"</noscript><img src=x onerror=alert('noscript')>\">",
        ),
        ("object-data", "<object data=\"javascript:alert('object-data')\"></object>"),
        ("cdata", "<![CDATA[<script>alert('cdata')</script>]]>"),
        ("entities", "&lt;script&gt;alert('entities')&lt;/script&gt; &amp;amp; &#x3C;"),
    ),
    *_p(
        "template",
        ("jinja-expr", "{{ 7*7 }}"),
        ("jinja-config", "{{ config.items() }}"),
        ("jinja-loop", "{% for x in range(99999999) %}x{% endfor %}"),
        ("jinja-ssti", "{{ ''.__class__.__mro__[1].__subclasses__() }}"),
        ("dollar-brace", "${7*7} #{7*7} <%= 7*7 %>"),
        ("angular", "{{constructor.constructor('alert(\"angular\")')()}}"),
        ("format-string", "%s%s%s%n {0} {name!r}"),
    ),
    *_p(
        "bidi",
        ("rlo", "\u202eevil\u202c and after"),
        ("rlo-unclosed", "\u202eunterminated right-to-left override"),
        ("lro-unclosed", "\u202dunterminated left-to-right override"),
        ("lri-unclosed", "\u2066unterminated isolate"),
        ("rli-fsi", "\u2067\u2068nested isolates"),
        ("pdi-lone", "\u2069\u202c lone closers"),
        ("rlo-filename", "report\u202efdp.exe"),
        ("marks", "\u200f\u200eمرحبا\u200f"),
        ("arabic-latin", "قال Vladimir Putin «القواعد باقية» (RU)"),
    ),
    *_p(
        "invisible",
        ("zwsp-name", "بو\u200bتين"),
        ("zwnj-zwj", "\u200c\u200dفلاديمير\u200d"),
        ("bom", "\ufeffBOM at the start"),
        ("word-joiner", "Pes\u2060kov"),
        ("soft-hyphen", "Pu\u00adtin"),
        ("tag-chars", "hidden\U000e0041\U000e0042"),
    ),
    *_p(
        "control",
        ("c0-controls", "bell\x07 backspace\x08 vt\x0b ff\x0c esc\x1b[31m red"),
        ("del-nel", "del\x7f nel\x85 end"),
        ("noncharacters", "non\ufffe\uffffchars"),
        ("line-separators", "line\u2028para\u2029end"),
    ),
    *_p(
        "sql",
        ("sql-or", "' OR '1'='1"),
        ("sql-drop", "'; DROP TABLE claims; --"),
        ("sql-sleep", "\\'; SELECT pg_sleep(10); --"),
        ("like-wildcards", "%_%_%_%_%_%_%_%_%_%_%_%_%_%_%_%_%_%_%_%_%_%_%_%_%_%_%_%_%_%x"),
        ("dollar-quote", "$$ $tag$ ; SELECT 1; $tag$"),
        ("tsquery", "!(a | b) & c:* <-> d <2> (("),
        ("backslashes", "\\\\\\ \\x00 \\u0000 \\N"),
        ("regex", "(a+)+$ [[:alpha:]] .*.*.*.*.*.*.*.*=x"),
    ),
    *_p(
        "path",
        ("traversal", "../../../../etc/passwd"),
        ("traversal-encoded", "..%2f..%2f..%2fetc%2fpasswd"),
        ("traversal-windows", "..\\..\\windows\\win.ini"),
        ("traversal-null", "/etc/passwd%00.json"),
        ("dot-segments", "./././."),
    ),
    *_p(
        "header",
        ("crlf", "x\r\nSet-Cookie: pwned=1\r\n\r\n<script>alert('crlf')</script>"),
        ("crlf-encoded", "%0d%0aLocation:%20https://evil.example"),
    ),
    *_p(
        "unicode",
        ("fullwidth-script", '＜script＞alert("fullwidth")＜/script＞'),
        ("fullwidth-js", "ｊａｖａｓｃｒｉｐｔ：alert(1)"),
        ("ligatures", "ﬁ ﬀ ﷺ ﻻ ﷽"),
        ("zalgo", "a" + "\u0301\u0310\u0320" * 200),
        ("homoglyph", "Vlad\u0456mir Put\u0456n"),
        ("case-folding", "İSTANBUL ß ǅ ﬃ"),
        ("astral", "🇷🇺💣 \U0001f4a9 𝕏"),
        ("decomposed", "e\u0301 vs \u00e9"),
    ),
    *_p(
        "csv",
        ("csv-hyperlink", '=HYPERLINK("https://evil.example","click")'),
        ("csv-cmd", "+cmd|' /C calc'!A0"),
        ("csv-at", "@SUM(1+1)*cmd|' /C calc'!A0"),
        ("csv-minus", "-2+3+cmd|' /C calc'!A0"),
        ("csv-tab", "\t=1+1"),
    ),
    *_p(
        "json",
        ("json-proto", '{"__proto__": {"admin": true}}'),
        ("json-close", '"}]}, "x": "'),
    ),
    *_p(
        "long",
        ("long-latin", "A" * 20_000),
        ("long-arabic", "قال المصدر إن القاعدة باقية " * 700),
        ("long-word", "ب" * 5_000),
    ),
]

REFUSED: list[Payload] = [
    *_p(
        "nul",
        ("nul", "a\x00b"),
        ("nul-only", "\x00"),
        ("nul-script", "<scr\x00ipt>alert('nul')</script>"),
    ),
    *_p("surrogate", ("lone-surrogate", "half \ud800 a pair")),
]
"""Strings PostgreSQL cannot store: every way in must refuse them clearly, never with a 500."""

INVALID_UTF8: list[tuple[str, bytes]] = [
    ("latin1", "café ﻻ".encode("latin-1", errors="replace")),
    ("lone-continuation", b"abc\x80def"),
    ("overlong-slash", b"\xc0\xaf"),
    ("truncated", "قاعدة".encode()[:-1]),
    ("surrogate-bytes", b"\xed\xa0\x80"),
    ("ff-fe", b"\xff\xfe<script>"),
]

STORABLE = PAYLOADS
ALL_NAMES = [p.name for p in PAYLOADS + REFUSED] + [name for name, _ in INVALID_UTF8]

HOSTILE_NUMBERS = [
    "-1",
    "0",
    "2147483648",
    "9223372036854775808",
    "1e308",
    "NaN",
    "1 OR 1=1",
    "0x10",
]
"""For integer parameters and path segments."""

HOSTILE_DATES = ["0000-01-01", "99999-12-31", "2025-02-30", "2025-13-01", "-infinity", "today"]

assert len(set(ALL_NAMES)) == len(ALL_NAMES), "payload names must be unique"
assert len({p.text for p in PAYLOADS + REFUSED}) == len(PAYLOADS + REFUSED), "duplicate payloads"
