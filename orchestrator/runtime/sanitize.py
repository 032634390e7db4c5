"""The error-text sanitiser: the Python twin of `integration_ops.sanitize_error_text`.

Every error message the package stores is sanitised by the SQL function (in triggers, so
no write path skips it). The worker sanitises its own log lines with this module before
they leave the process. Both apply the SAME rules: `RULES` below is, string for string,
what `integration_ops.sanitize_rules()` returns, and both implementations are tested
against the one table of cases in `tests/cases/sanitize.json`.

The patterns are written in the subset of regular-expression syntax on which Python's
`re` and PostgreSQL's ARE engine agree: `(?i)` only as a prefix, no `.`, `^`/`$` only in
the per-line rules, no word boundaries (a fixed-width lookbehind instead), no
backreferences in patterns, no lazy quantifiers, and alternatives that cannot both match
at one position with different lengths (Python takes the first alternative, PostgreSQL
the longest match). Python's engine backtracks, so every pattern that starts with a
repeated class starts at a word start (lookbehind) and no two greedy parts can trade the
same characters: the work stays linear in the text, even for hostile text (response
bodies come from the integration's servers).

Steps, in order:
1. Messages longer than `MAX_INPUT` characters keep the whole lines of their first and of
   their last `HALF_INPUT` characters (a long traceback keeps its final exception line),
   joined by a `[...]` line. Whatever is cut leaves no fragment of a secret (0.3): a head
   without a line break loses its cut last word (everything after its last blank: a
   one-word head leaves nothing), a tail without a line break is dropped, a tail's cut
   first line is dropped and so is the line after it when the cut line ends with `:` or
   `=` (a value on the next line never survives without its key), and a private key cut
   at the tail is redacted up to its END line (the rule after the PEM rule).
2. Lines are split on `\\r?\\n`. Stack-trace lines are removed: `drop_line` and `file_line`
   patterns, and a `source_line` right after a `file_line` (the code Python prints under a
   `File "...", line N` line).
3. Each `replace` rule, in order, on the whole text (every match).
4. Leading and trailing blanks are trimmed and the text is cut to `MAX_LENGTH` characters.
"""

from __future__ import annotations

import re
from typing import Final

MAX_LENGTH: Final = 2000
MAX_INPUT: Final = 32000
HALF_INPUT: Final = 16000
CUT_MARK: Final = "\n[...]\n"

# The key names whose values are secrets (a suffix of the key: client_secret, x-api-key,
# db.password, aws_secret_access_key, sig, ...).
_KEY: Final = (
    r"[a-z0-9_.-]*(?:password|passwd|passphrase|pwd|pass|secret|token|credentials?"
    r"|signature|sig|auth|apikey"
    r"|(?:api|access|account|private|secret|subscription|functions?|master|signing"
    r"|encryption|client|auth|session)[_-]?key)"
)
_Q: Final = r"""["']"""
# A key's quotes, also percent-encoded (%22, %27); a form array's key closes with a
# bracket (user[password]=, password[]=, user%5Bpassword%5D%3D).
_OPEN: Final = r"""(?:["']|%2[27])"""
_CLOSE: Final = r"""(?:["'\]]|%(?:2[27]|5d)|\[[0-9]*\])"""
# A key starts a word or follows a percent-encoded character (%26password%3D...). The
# lookbehinds keep the search linear: without them a long word is tried from every one
# of its characters.
_START: Final = r"(?:(?<![a-z0-9_.-])|(?<=%[0-9a-f]{2}))"
# = or :, also percent-encoded (%3D, %3A); the value may be on the next line (YAML,
# pretty-printed JSON, a header folded after its name).
_SEP: Final = r"[ \t]*(?:[:=]|%3[ad])[ \t]*(?:\n[ \t]*)?"
_KV: Final = _OPEN + "?" + _START + _KEY + _CLOSE + "?" + _SEP
# A JSON array or Python list value (nested arrays too), up to its last ]. Not the
# replacement text itself ([redacted]), so sanitising twice changes nothing.
_ARRAY: Final = r"\[(?!redacted\])[^\]]*(?:\][ \t]*,[ \t]*\[[^\]]*)*\]*"

# (kind, pattern, replacement). Kinds: drop_line, file_line, source_line, replace.
RULES: Final[tuple[tuple[str, str, str], ...]] = (
    # Stack traces: Python tracebacks, JS/Java/.NET "at ..." frames, Go goroutine dumps.
    ("drop_line", r"^\s*Traceback \(most recent call last\):", ""),
    ("file_line", r'^\s*File "[^"]*", line [0-9]+', ""),
    ("source_line", r"^\s{2,}\S", ""),
    ("drop_line", r"^\s+at\s+\S", ""),
    ("drop_line", r"^\s*goroutine [0-9]+ \[", ""),
    (
        "drop_line",
        r"^\s*(During handling of the above exception|The above exception was the direct cause)",
        "",
    ),
    # PEM private keys (an unterminated one to the end of the text).
    (
        "replace",
        r"-----BEGIN [A-Z ]*PRIVATE KEY(?: BLOCK)?-----(?:[^-]|-[^-])*"
        r"(?:-----END [A-Z ]*PRIVATE KEY(?: BLOCK)?-----)?",
        "[redacted]",
    ),
    # A private key cut at the tail of a long message: from the cut mark to its END line.
    (
        "replace",
        r"(\[\.\.\.\]\n)(?:[^-\[]|-[^-\[])*-----END [A-Z ]*PRIVATE KEY(?: BLOCK)?-----",
        r"\1[redacted]",
    ),
    # JWTs: three base64url segments.
    (
        "replace",
        r"(?<![A-Za-z0-9_-])(?:eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"
        r"|[A-Za-z0-9_-]{12,}\.[A-Za-z0-9_-]{12,}\.[A-Za-z0-9_-]{12,})",
        "[redacted]",
    ),
    # AWS access key ids.
    ("replace", r"(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ABIA|ACCA)[A-Z0-9]{16}", "[redacted]"),
    # Well-known token formats: GitHub, Slack, Stripe, Google API keys, Supabase secret
    # keys (sb_publishable_ keys are public and stay).
    (
        "replace",
        r"(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}"
        r"|xox[abposr]-[A-Za-z0-9-]{10,}|[rs]k_(?:live|test)_[A-Za-z0-9]{16,}"
        r"|AIza[A-Za-z0-9_-]{35}|sb_secret_[A-Za-z0-9_-]{16,}",
        "[redacted]",
    ),
    # Incoming-webhook URLs, whose path is the credential: Slack (services, workflows,
    # triggers), Discord, Microsoft Teams.
    (
        "replace",
        r"(?i)((?:hooks\.slack\.com/(?:services|workflows|triggers)"
        r"|discord(?:app)?\.com/api(?:/v[0-9]+)?/webhooks"
        r"|webhook\.office\.com/webhookb2|outlook\.office(?:365)?\.com/webhook)/)"
        r"""[^\s"'<>]+""",
        r"\1[redacted]",
    ),
    # Bearer tokens anywhere (also after a percent-encoded space).
    ("replace", r"(?i)(bearer(?:\s|%20)+)(?!%20)[a-z0-9._~+/=%-]+", r"\1[redacted]"),
    # Authorization headers: the scheme is kept, the credentials go.
    (
        "replace",
        r"""(?i)((?:proxy-)?authorization(?:\\?["'])?""" + _SEP + r"""(?:\\?["'])?"""
        r"(?:(?:basic|bearer|token|digest|negotiate|ntlm|hmac|apikey|sharedkeylite|sharedkey"
        r"|aws4-hmac-sha256|sso-key|key)[ \t]+)?)"
        r"""[^\s"',\\]+""",
        r"\1[redacted]",
    ),
    # Cookies.
    (
        "replace",
        r"""(?i)((?:set-)?cookie(?:\\?["'])?""" + _SEP + r"""(?:\\?["'])?)[^\r\n"'\\]+""",
        r"\1[redacted]",
    ),
    # URL credentials: everything between scheme:// and the last @ of the URL when it has
    # a colon (empty user, '/' or '@' in the password); a user name alone otherwise.
    (
        "replace",
        r"""(?i)(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*://)[^\s/@:"'<>]*:[^\s"'<>]*@""",
        r"\1[redacted]@",
    ),
    (
        "replace",
        r"""(?i)(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*://)[^\s/@:"'<>\[\]]+@""",
        r"\1[redacted]@",
    ),
    # Query parameters named key or code.
    ("replace", r"""(?i)([?&](?:key|code)=)[^\s&#"'<>]+""", r"\1[redacted]"),
    # JSON inside a JSON string: \"password\": \"value\" (also without its end), a number,
    # an array.
    (
        "replace",
        r"(?i)(\\" + _Q + _KEY + r"\\" + _Q + r"[ \t]*:[ \t]*)"
        r'(?:\\"(?:[^"\\]|\\[^"])*(?:\\")?|' + _ARRAY + r'|[^\s,}\[\]\\"]+)',
        r'\1\\"[redacted]\\"',
    ),
    # key: [array] (JSON, Python lists).
    ("replace", r"(?i)(" + _KV + ")" + _ARRAY, r'\1"[redacted]"'),
    # key = "value" (JSON, logfmt, libpq, Python reprs; escaped quotes inside; unterminated).
    ("replace", r"(?i)(" + _KV + r"""[bru]{0,2})"(?:[^"\\]|\\"|\\[^"])*"?""", r'\1"[redacted]"'),
    # key = 'value'.
    ("replace", r"(?i)(" + _KV + r"""[bru]{0,2})'(?:[^'\\]|\\'|\\[^'])*'?""", r"\1'[redacted]'"),
    # key = value, key: value (query strings, DSNs, headers, YAML, Azure sig=).
    (
        "replace",
        r"(?i)(" + _KV + r""")(?![bru]{1,2}["'])(?:\\[^"\s]|[^\s&'"\\])[^\s&'"]*""",
        r"\1[redacted]",
    ),
)

_COMPILED: Final = tuple((kind, re.compile(p, re.ASCII), r) for kind, p, r in RULES)
_DROP: Final = tuple(c for kind, c, _ in _COMPILED if kind in ("drop_line", "file_line"))
_FILE: Final = tuple(c for kind, c, _ in _COMPILED if kind == "file_line")
_SOURCE: Final = tuple(c for kind, c, _ in _COMPILED if kind == "source_line")
_REPLACE: Final = tuple((c, r) for kind, c, r in _COMPILED if kind == "replace")
_LINE_BREAK: Final = re.compile(r"\r?\n")


def _bounded(message: str) -> str:
    if len(message) <= MAX_INPUT:
        return message
    head = message[:HALF_INPUT]
    if "\n" in head:
        head = head[: head.rindex("\n")]  # without its cut last line
    else:
        # cut mid-line: without its cut last word (no blank: nothing is left)
        head = head[: max(head.rfind(" "), head.rfind("\t"), 0)]
    # without its cut first line (no line break: nothing is left) ...
    first, _, tail = message[-HALF_INPUT:].partition("\n")
    if first.rstrip(" \t\r").endswith((":", "=")):
        tail = tail.partition("\n")[2]  # ... and the value on the line after a cut key
    return head + CUT_MARK + tail


def _without_stack_traces(message: str) -> str:
    kept: list[str] = []
    after_file_line = False
    for line in _LINE_BREAK.split(message):
        previous_was_file_line = after_file_line
        after_file_line = any(c.search(line) for c in _FILE)
        if any(c.search(line) for c in _DROP):
            continue
        if previous_was_file_line and any(c.search(line) for c in _SOURCE):
            continue
        kept.append(line)
    return "\n".join(kept)


def sanitize_error_text(message: str | None) -> str | None:
    """The message as `integration_ops.sanitize_error_text` would store it."""
    if message is None:
        return None
    text = _without_stack_traces(_bounded(message))
    for pattern, replacement in _REPLACE:
        text = pattern.sub(replacement, text)
    return text.strip(" \t\r\n")[:MAX_LENGTH]
