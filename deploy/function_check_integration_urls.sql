-- Deploy integration-sync:function_check_integration_urls to pg
-- requires: function_url_problem function_raise_error function_settings_row table_settings_security_tunables table_organization_integrations_warmup_url
-- 0.3 (issue 21, DESIGN §13): the URL rules at write time, whoever writes the pair
-- (configure_integration, service_role through PostgREST, a DBA): endpoint_url, warmup_url
-- and health_config.url must pass integration_ops.url_problem with
-- settings.allowed_http_hosts, else invalid_argument (PT400) naming the column and the
-- rule — never the URL itself (it may carry credentials). Rows written before 0.3 are
-- judged when one of these values changes.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.check_integration_urls()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v_hosts text[];
  v_problem text;
  v_column text;
  v_url text;
BEGIN
  FOR v_column, v_url IN
    SELECT c.name, c.url
      FROM (VALUES ('endpoint_url', NEW.endpoint_url,
                    TG_OP = 'INSERT' OR NEW.endpoint_url IS DISTINCT FROM OLD.endpoint_url),
                   ('warmup_url', NEW.warmup_url,
                    TG_OP = 'INSERT' OR NEW.warmup_url IS DISTINCT FROM OLD.warmup_url),
                   ('health_config.url', NEW.health_config OPERATOR(pg_catalog.->>) 'url',
                    TG_OP = 'INSERT' OR (NEW.health_config OPERATOR(pg_catalog.->>) 'url')
                        IS DISTINCT FROM (OLD.health_config OPERATOR(pg_catalog.->>) 'url')))
           AS c(name, url, changed)
     WHERE c.changed AND c.url IS NOT NULL
  LOOP
    IF v_hosts IS NULL THEN
      v_hosts := (integration_ops.settings_row()).allowed_http_hosts;
    END IF;
    v_problem := integration_ops.url_problem(v_url, v_hosts);
    IF v_problem IS NOT NULL THEN
      PERFORM integration_ops.raise_error('invalid_argument',
        format('%s is refused: %s. URLs are https; plain http and private, link-local or metadata destinations only for hosts in settings.allowed_http_hosts.',
               v_column, v_problem));
    END IF;
  END LOOP;
  RETURN NEW;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.check_integration_urls() FROM PUBLIC;
COMMENT ON FUNCTION integration_ops.check_integration_urls() IS
  'Trigger: endpoint_url, warmup_url and health_config.url of organization_integrations obey the URL rules (integration_ops.url_problem with settings.allowed_http_hosts), else invalid_argument (PT400).';

COMMIT;
