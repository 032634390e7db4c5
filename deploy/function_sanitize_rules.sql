-- Deploy integration-sync:function_sanitize_rules to pg
-- requires: function_sanitize_error_text@v0.2.0
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- 0.3 (issue 25): one function, one change; until 0.2 this function was created by
-- function_sanitize_error_text. Reverting restores that definition.
-- 0.3 (issue 21): the forms 0.2 missed: JSON array and Python list values, escaped JSON
-- numbers, arrays and strings without their end, percent-encoded keys, quotes and
-- separators (password%3Dx, %22token%22%3A...), form array keys (user[password]=),
-- Supabase secret keys (sb_secret_), Slack/Discord/Teams incoming-webhook URLs, a value on
-- the next line (YAML, pretty-printed JSON, a folded header), a private key cut at the
-- tail of a long message (tests/cases/sanitize.json).
-- (kind, pattern, replacement) rows. Kinds: drop_line and file_line (a stack-trace line,
-- removed), source_line (removed right after a file_line), replace (regexp_replace, every
-- match, in order).
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.sanitize_rules()
RETURNS text[]
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $rules$
  SELECT ARRAY[
    ARRAY['drop_line', '^\s*Traceback \(most recent call last\):', ''],
    ARRAY['file_line', '^\s*File "[^"]*", line [0-9]+', ''],
    ARRAY['source_line', '^\s{2,}\S', ''],
    ARRAY['drop_line', '^\s+at\s+\S', ''],
    ARRAY['drop_line', '^\s*goroutine [0-9]+ \[', ''],
    ARRAY['drop_line', '^\s*(During handling of the above exception|The above exception was the direct cause)', ''],
    ARRAY['replace', '-----BEGIN [A-Z ]*PRIVATE KEY(?: BLOCK)?-----(?:[^-]|-[^-])*(?:-----END [A-Z ]*PRIVATE KEY(?: BLOCK)?-----)?', '[redacted]'],
    ARRAY['replace', '(\[\.\.\.\]\n)(?:[^-\[]|-[^-\[])*-----END [A-Z ]*PRIVATE KEY(?: BLOCK)?-----', '\1[redacted]'],
    ARRAY['replace', '(?<![A-Za-z0-9_-])(?:eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*|[A-Za-z0-9_-]{12,}\.[A-Za-z0-9_-]{12,}\.[A-Za-z0-9_-]{12,})', '[redacted]'],
    ARRAY['replace', '(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ABIA|ACCA)[A-Z0-9]{16}', '[redacted]'],
    ARRAY['replace', '(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}|xox[abposr]-[A-Za-z0-9-]{10,}|[rs]k_(?:live|test)_[A-Za-z0-9]{16,}|AIza[A-Za-z0-9_-]{35}|sb_secret_[A-Za-z0-9_-]{16,}', '[redacted]'],
    ARRAY['replace', '(?i)((?:hooks\.slack\.com/(?:services|workflows|triggers)|discord(?:app)?\.com/api(?:/v[0-9]+)?/webhooks|webhook\.office\.com/webhookb2|outlook\.office(?:365)?\.com/webhook)/)[^\s"''<>]+', '\1[redacted]'],
    ARRAY['replace', '(?i)(bearer(?:\s|%20)+)(?!%20)[a-z0-9._~+/=%-]+', '\1[redacted]'],
    ARRAY['replace', '(?i)((?:proxy-)?authorization(?:\\?["''])?[ \t]*(?:[:=]|%3[ad])[ \t]*(?:\n[ \t]*)?(?:\\?["''])?(?:(?:basic|bearer|token|digest|negotiate|ntlm|hmac|apikey|sharedkeylite|sharedkey|aws4-hmac-sha256|sso-key|key)[ \t]+)?)[^\s"'',\\]+', '\1[redacted]'],
    ARRAY['replace', '(?i)((?:set-)?cookie(?:\\?["''])?[ \t]*(?:[:=]|%3[ad])[ \t]*(?:\n[ \t]*)?(?:\\?["''])?)[^\r\n"''\\]+', '\1[redacted]'],
    ARRAY['replace', '(?i)(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*://)[^\s/@:"''<>]*:[^\s"''<>]*@', '\1[redacted]@'],
    ARRAY['replace', '(?i)(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*://)[^\s/@:"''<>\[\]]+@', '\1[redacted]@'],
    ARRAY['replace', '(?i)([?&](?:key|code)=)[^\s&#"''<>]+', '\1[redacted]'],
    ARRAY['replace', '(?i)(\\["''][a-z0-9_.-]*(?:password|passwd|passphrase|pwd|pass|secret|token|credentials?|signature|sig|auth|apikey|(?:api|access|account|private|secret|subscription|functions?|master|signing|encryption|client|auth|session)[_-]?key)\\["''][ \t]*:[ \t]*)(?:\\"(?:[^"\\]|\\[^"])*(?:\\")?|\[(?!redacted\])[^\]]*(?:\][ \t]*,[ \t]*\[[^\]]*)*\]*|[^\s,}\[\]\\"]+)', '\1\\"[redacted]\\"'],
    ARRAY['replace', '(?i)((?:["'']|%2[27])?(?:(?<![a-z0-9_.-])|(?<=%[0-9a-f]{2}))[a-z0-9_.-]*(?:password|passwd|passphrase|pwd|pass|secret|token|credentials?|signature|sig|auth|apikey|(?:api|access|account|private|secret|subscription|functions?|master|signing|encryption|client|auth|session)[_-]?key)(?:["''\]]|%(?:2[27]|5d)|\[[0-9]*\])?[ \t]*(?:[:=]|%3[ad])[ \t]*(?:\n[ \t]*)?)\[(?!redacted\])[^\]]*(?:\][ \t]*,[ \t]*\[[^\]]*)*\]*', '\1"[redacted]"'],
    ARRAY['replace', '(?i)((?:["'']|%2[27])?(?:(?<![a-z0-9_.-])|(?<=%[0-9a-f]{2}))[a-z0-9_.-]*(?:password|passwd|passphrase|pwd|pass|secret|token|credentials?|signature|sig|auth|apikey|(?:api|access|account|private|secret|subscription|functions?|master|signing|encryption|client|auth|session)[_-]?key)(?:["''\]]|%(?:2[27]|5d)|\[[0-9]*\])?[ \t]*(?:[:=]|%3[ad])[ \t]*(?:\n[ \t]*)?[bru]{0,2})"(?:[^"\\]|\\"|\\[^"])*"?', '\1"[redacted]"'],
    ARRAY['replace', '(?i)((?:["'']|%2[27])?(?:(?<![a-z0-9_.-])|(?<=%[0-9a-f]{2}))[a-z0-9_.-]*(?:password|passwd|passphrase|pwd|pass|secret|token|credentials?|signature|sig|auth|apikey|(?:api|access|account|private|secret|subscription|functions?|master|signing|encryption|client|auth|session)[_-]?key)(?:["''\]]|%(?:2[27]|5d)|\[[0-9]*\])?[ \t]*(?:[:=]|%3[ad])[ \t]*(?:\n[ \t]*)?[bru]{0,2})''(?:[^''\\]|\\''|\\[^''])*''?', '\1''[redacted]'''],
    ARRAY['replace', '(?i)((?:["'']|%2[27])?(?:(?<![a-z0-9_.-])|(?<=%[0-9a-f]{2}))[a-z0-9_.-]*(?:password|passwd|passphrase|pwd|pass|secret|token|credentials?|signature|sig|auth|apikey|(?:api|access|account|private|secret|subscription|functions?|master|signing|encryption|client|auth|session)[_-]?key)(?:["''\]]|%(?:2[27]|5d)|\[[0-9]*\])?[ \t]*(?:[:=]|%3[ad])[ \t]*(?:\n[ \t]*)?)(?![bru]{1,2}["''])(?:\\[^"\s]|[^\s&''"\\])[^\s&''"]*', '\1[redacted]']
  ]
$rules$;

REVOKE ALL ON FUNCTION integration_ops.sanitize_rules() FROM PUBLIC;
COMMENT ON FUNCTION integration_ops.sanitize_rules() IS
  'The sanitiser''s rules as (kind, pattern, replacement) rows, in order: the same strings as RULES in orchestrator/sanitize.py.';

COMMIT;
