-- Deploy integration-sync:function_sanitize_error_text to pg
-- requires: function_sanitize_error_text@v0.1.0
-- One sanitiser for every stored error message (DESIGN §6, §12): no stack traces, no
-- credentials, at most 2000 characters.
--
-- 0.2 (issue 14): wider forms (quoted values, libpq strings, URLs with an empty user or odd
-- characters, escaped quotes in JSON, Authorization/X-API-Key/Cookie headers, colon forms,
-- Python reprs, PEM private keys, AWS access keys, well-known token formats, Azure sig=),
-- input bounded (a 1 MB message costs no more than a 32 kB one), and the rules in one
-- list, integration_ops.sanitize_rules(), which is string for string the RULES of the
-- worker's twin orchestrator/sanitize.py (tests/test_sanitize.py checks both against
-- tests/cases/sanitize.json and against each other). The patterns use only the regex
-- syntax on which PostgreSQL's ARE engine and Python's re agree (see orchestrator/sanitize.py).
-- Triggers run it on every table that stores error text (trigger_error_text_sanitize).
BEGIN;
SET LOCAL lock_timeout = '5s';

-- (kind, pattern, replacement) rows. Kinds: drop_line and file_line (a stack-trace line,
-- removed), source_line (removed right after a file_line), replace (regexp_replace, every
-- match, in order).
CREATE OR REPLACE FUNCTION integration_ops.sanitize_rules()
RETURNS text[]
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $rules$
  SELECT ARRAY[
    ARRAY['drop_line', '^\s*Traceback \(most recent call last\):', ''],
    ARRAY['file_line', '^\s*File "[^"]*", line [0-9]+', ''],
    ARRAY['source_line', '^\s{2,}\S', ''],
    ARRAY['drop_line', '^\s+at\s+\S', ''],
    ARRAY['drop_line', '^\s*goroutine [0-9]+ \[', ''],
    ARRAY['drop_line', '^\s*(During handling of the above exception|The above exception was the direct cause)', ''],
    ARRAY['replace', '-----BEGIN [A-Z ]*PRIVATE KEY(?: BLOCK)?-----(?:[^-]|-[^-])*(?:-----END [A-Z ]*PRIVATE KEY(?: BLOCK)?-----)?', '[redacted]'],
    ARRAY['replace', '(?<![A-Za-z0-9_-])(?:eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*|[A-Za-z0-9_-]{12,}\.[A-Za-z0-9_-]{12,}\.[A-Za-z0-9_-]{12,})', '[redacted]'],
    ARRAY['replace', '(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ABIA|ACCA)[A-Z0-9]{16}', '[redacted]'],
    ARRAY['replace', '(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}|xox[abposr]-[A-Za-z0-9-]{10,}|[rs]k_(?:live|test)_[A-Za-z0-9]{16,}|AIza[A-Za-z0-9_-]{35}', '[redacted]'],
    ARRAY['replace', '(?i)(bearer)\s+[a-z0-9._~+/=-]+', '\1 [redacted]'],
    ARRAY['replace', '(?i)((?:proxy-)?authorization(?:\\?["''])?[ \t]*[:=][ \t]*(?:\\?["''])?(?:(?:basic|bearer|token|digest|negotiate|ntlm|hmac|apikey|sharedkeylite|sharedkey|aws4-hmac-sha256|sso-key|key)[ \t]+)?)[^\s"'',\\]+', '\1[redacted]'],
    ARRAY['replace', '(?i)((?:set-)?cookie(?:\\?["''])?[ \t]*[:=][ \t]*(?:\\?["''])?)[^\r\n"''\\]+', '\1[redacted]'],
    ARRAY['replace', '(?i)(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*://)[^\s/@:"''<>]*:[^\s"''<>]*@', '\1[redacted]@'],
    ARRAY['replace', '(?i)(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*://)[^\s/@:"''<>\[\]]+@', '\1[redacted]@'],
    ARRAY['replace', '(?i)([?&](?:key|code)=)[^\s&#"''<>]+', '\1[redacted]'],
    ARRAY['replace', '(?i)(\\["''][a-z0-9_.-]*(?:password|passwd|passphrase|pwd|pass|secret|token|credentials?|signature|sig|auth|apikey|(?:api|access|account|private|secret|subscription|functions?|master|signing|encryption|client|auth|session)[_-]?key)\\["''][ \t]*:[ \t]*)\\"(?:[^"\\]|\\\\)*\\"', '\1\\"[redacted]\\"'],
    ARRAY['replace', '(?i)(["'']?(?<![a-z0-9_.-])[a-z0-9_.-]*(?:password|passwd|passphrase|pwd|pass|secret|token|credentials?|signature|sig|auth|apikey|(?:api|access|account|private|secret|subscription|functions?|master|signing|encryption|client|auth|session)[_-]?key)["'']?[ \t]*[:=][ \t]*[bru]{0,2})"(?:[^"\\]|\\"|\\[^"])*"?', '\1"[redacted]"'],
    ARRAY['replace', '(?i)(["'']?(?<![a-z0-9_.-])[a-z0-9_.-]*(?:password|passwd|passphrase|pwd|pass|secret|token|credentials?|signature|sig|auth|apikey|(?:api|access|account|private|secret|subscription|functions?|master|signing|encryption|client|auth|session)[_-]?key)["'']?[ \t]*[:=][ \t]*[bru]{0,2})''(?:[^''\\]|\\''|\\[^''])*''?', '\1''[redacted]'''],
    ARRAY['replace', '(?i)(["'']?(?<![a-z0-9_.-])[a-z0-9_.-]*(?:password|passwd|passphrase|pwd|pass|secret|token|credentials?|signature|sig|auth|apikey|(?:api|access|account|private|secret|subscription|functions?|master|signing|encryption|client|auth|session)[_-]?key)["'']?[ \t]*[:=][ \t]*)(?![bru]{1,2}["''])(?:\\[^"\s]|[^\s&''"\\])[^\s&''"]*', '\1[redacted]']
  ]
$rules$;

CREATE OR REPLACE FUNCTION integration_ops.sanitize_error_text(message text)
RETURNS text
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
SET search_path = ''
AS $$
DECLARE
  c_rules CONSTANT text[] := integration_ops.sanitize_rules();
  v_text text := message;
  v_drop text[] := ARRAY[]::text[];
  v_file text[] := ARRAY[]::text[];
  v_source text[] := ARRAY[]::text[];
  v_head text;
  v_tail text;
  v_pos integer;
BEGIN
  IF message IS NULL THEN
    RETURN NULL;
  END IF;

  -- 1. Bounded input: the whole lines of the first and the last 16,000 characters.
  IF char_length(v_text) > 32000 THEN
    v_head := left(v_text, 16000);
    v_pos := strpos(reverse(v_head), E'\n');
    IF v_pos > 0 THEN
      v_head := left(v_head, char_length(v_head) - v_pos);
    END IF;
    v_tail := right(v_text, 16000);
    v_pos := strpos(v_tail, E'\n');
    IF v_pos = 0 THEN
      v_text := v_head;
    ELSE
      v_text := v_head || E'\n[...]\n' || substr(v_tail, v_pos + 1);
    END IF;
  END IF;

  -- 2. Stack-trace lines.
  FOR i IN 1 .. array_length(c_rules, 1) LOOP
    IF c_rules[i][1] IN ('drop_line', 'file_line') THEN
      v_drop := array_append(v_drop, c_rules[i][2]);
    END IF;
    IF c_rules[i][1] = 'file_line' THEN
      v_file := array_append(v_file, c_rules[i][2]);
    ELSIF c_rules[i][1] = 'source_line' THEN
      v_source := array_append(v_source, c_rules[i][2]);
    END IF;
  END LOOP;
  IF strpos(v_text, E'\n') = 0 THEN
    IF v_text ~ ANY (v_drop) THEN
      v_text := '';
    END IF;
  ELSE
    SELECT coalesce(string_agg(l.line, E'\n' ORDER BY l.n), '')
      INTO v_text
      FROM (SELECT t.line, t.n, lag(t.line) OVER (ORDER BY t.n) AS prev
              FROM regexp_split_to_table(v_text, E'\r?\n') WITH ORDINALITY AS t(line, n)) AS l
     WHERE NOT (l.line ~ ANY (v_drop))
       AND NOT (coalesce(l.prev ~ ANY (v_file), false) AND l.line ~ ANY (v_source));
  END IF;

  -- 3. Credentials.
  FOR i IN 1 .. array_length(c_rules, 1) LOOP
    IF c_rules[i][1] = 'replace' THEN
      v_text := regexp_replace(v_text, c_rules[i][2], c_rules[i][3], 'g');
    END IF;
  END LOOP;

  -- 4. Length.
  RETURN left(btrim(v_text, E' \t\r\n'), 2000);
END
$$;

REVOKE ALL ON FUNCTION integration_ops.sanitize_rules() FROM PUBLIC;
REVOKE ALL ON FUNCTION integration_ops.sanitize_error_text(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION integration_ops.sanitize_error_text(text) TO service_role, integration_worker;

COMMENT ON FUNCTION integration_ops.sanitize_rules() IS
  'The sanitiser''s rules as (kind, pattern, replacement) rows, in order: the same strings as RULES in orchestrator/sanitize.py.';
COMMENT ON FUNCTION integration_ops.sanitize_error_text(text) IS
  'Sanitise an error message before it is stored: stack-trace lines removed; bearer tokens, JWTs, PEM private keys, AWS access keys and known token formats, the credentials of URLs, Authorization/Cookie headers and the values of password/secret/token/api-key/sig-like keys (key=value, key: value, quoted, JSON, escaped JSON, Python reprs) replaced by [redacted]; cut to 2000 characters. Inputs over 32,000 characters keep the whole lines of their first and last 16,000. Rules: integration_ops.sanitize_rules().';

COMMIT;
