-- Deploy integration-sync:function_url_problem to pg
-- requires: schema_integration_ops
-- 0.3 (issue 21, DESIGN §13): the URL rules for endpoint_url, warmup_url and a health url,
-- on the text alone (the worker checks the resolved addresses again before it connects):
--   * the scheme is https; plain http only for a host listed in allowed_http_hosts;
--   * a host listed there is accepted as it is (loopback by default, for local development);
--   * otherwise refused: metadata host names (metadata, metadata.google.internal, …),
--     loopback (127/8, ::1, localhost), link-local (169.254/16, fe80::/10, also inside an
--     IPv4-mapped IPv6 address), private and other non-public ranges (10/8, 172.16/12,
--     192.168/16, 100.64/10, 0/8, fc00::/7, ::);
--   * no host, other schemes, spaces or control characters: refused.
-- Returns NULL when the URL is acceptable, else the rule it breaks (a short phrase).
-- The one table of cases both this and the worker's Python twin pass: tests/cases/urls.json.
-- No exception block (it runs inside callers' per-row sub-transactions): addresses are
-- recognised by pattern before any cast.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.url_problem(url text, allowed_http_hosts text[])
RETURNS text
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v_parts text[];
  v_scheme text;
  v_authority text;
  v_host text;
  v_ip inet;
  v_groups text[];
  v_listed boolean;
BEGIN
  IF url_problem.url IS NULL OR url_problem.url = '' THEN
    RETURN 'no host';
  END IF;
  IF url_problem.url ~ '[[:space:][:cntrl:]]' THEN
    RETURN 'malformed (spaces or control characters)';
  END IF;
  v_parts := regexp_match(url_problem.url, '^([A-Za-z][A-Za-z0-9+.-]*)://([^/?#]*)');
  IF v_parts IS NULL THEN
    RETURN 'scheme (only https, or http to a listed host)';
  END IF;
  v_scheme := lower(v_parts[1]);
  IF v_scheme NOT IN ('http', 'https') THEN
    RETURN 'scheme (only https, or http to a listed host)';
  END IF;
  -- host: after the last userinfo '@', without the port; an IPv6 literal without brackets
  v_authority := regexp_replace(v_parts[2], '^.*@', '');
  IF v_authority LIKE '[%' THEN
    v_host := substring(v_authority FROM '^\[([^\]]*)\]');
  ELSE
    v_host := regexp_replace(v_authority, ':[0-9]*$', '');
  END IF;
  v_host := regexp_replace(lower(coalesce(v_host, '')), '\.$', '');
  IF v_host = '' THEN
    RETURN 'no host';
  END IF;

  v_listed := EXISTS (SELECT FROM unnest(url_problem.allowed_http_hosts) AS a(host)
                       WHERE regexp_replace(lower(btrim(a.host, '[]')), '\.$', '') = v_host);
  IF v_listed THEN
    RETURN NULL;
  END IF;
  IF v_scheme = 'http' THEN
    RETURN 'plain http (only to a host in settings.allowed_http_hosts)';
  END IF;
  IF v_host IN ('metadata', 'metadata.google.internal', 'metadata.goog', 'instance-data',
                'instance-data.ec2.internal', 'metadata.azure.com', 'metadata.azure.internal',
                'metadata.oraclecloud.com', 'metadata.packet.net') THEN
    RETURN 'metadata host';
  END IF;
  IF v_host = 'localhost' OR v_host LIKE '%.localhost' THEN
    RETURN 'loopback';
  END IF;

  -- an address literal: dotted IPv4, or IPv6 (hex groups, one '::' at most, an IPv4 tail)
  IF v_host ~ '^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$' THEN
    v_ip := v_host::inet;
  ELSIF v_host ~ '^[0-9a-f:.]+$' AND v_host LIKE '%:%'
        AND (length(v_host) - length(replace(v_host, '::', ''))) <= 2 THEN
    v_groups := string_to_array(regexp_replace(v_host, '^::|::$', ':'), ':');
    IF cardinality(v_groups) <= 8
       AND NOT EXISTS (SELECT FROM unnest(v_groups) WITH ORDINALITY AS g(part, n)
                        WHERE NOT (g.part ~ '^[0-9a-f]{0,4}$'
                                   OR (g.n = cardinality(v_groups)
                                       AND g.part ~ '^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$')))
       AND (v_host LIKE '%::%' OR cardinality(v_groups) = 8
            OR (cardinality(v_groups) = 7 AND v_groups[7] LIKE '%.%')) THEN
      v_ip := v_host::inet;
    ELSE
      RETURN 'malformed (address)';
    END IF;
  END IF;
  IF v_ip IS NULL THEN
    RETURN NULL;   -- a host name: the worker checks what it resolves to
  END IF;
  -- the IPv4 inside an IPv4-mapped IPv6 address is judged as IPv4
  IF family(v_ip) = 6 AND v_ip << inet '::ffff:0:0/96' THEN
    v_ip := inet '0.0.0.0' + (v_ip - inet '::ffff:0.0.0.0');
  END IF;
  IF family(v_ip) = 4 THEN
    IF v_ip << inet '169.254.0.0/16' THEN RETURN 'link-local'; END IF;
    IF v_ip << inet '127.0.0.0/8' THEN RETURN 'loopback'; END IF;
    IF v_ip << inet '10.0.0.0/8' OR v_ip << inet '172.16.0.0/12' OR v_ip << inet '192.168.0.0/16'
       OR v_ip << inet '100.64.0.0/10' OR v_ip << inet '0.0.0.0/8' OR v_ip << inet '192.0.0.0/24'
       OR v_ip << inet '198.18.0.0/15' OR v_ip << inet '224.0.0.0/3' THEN
      RETURN 'private or reserved address';
    END IF;
  ELSE
    IF v_ip << inet 'fe80::/10' THEN RETURN 'link-local'; END IF;
    IF v_ip = inet '::1' THEN RETURN 'loopback'; END IF;
    IF v_ip << inet 'fc00::/7' OR v_ip = inet '::' OR v_ip << inet 'ff00::/8' THEN
      RETURN 'private or reserved address';
    END IF;
  END IF;
  RETURN NULL;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.url_problem(text, text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION integration_ops.url_problem(text, text[]) TO service_role;
COMMENT ON FUNCTION integration_ops.url_problem(text, text[]) IS
  'NULL when the URL may be called (https; plain http only to a listed host; no metadata, loopback, link-local or private destination unless listed), else the rule it breaks. DESIGN §13; cases: tests/cases/urls.json.';

COMMIT;
