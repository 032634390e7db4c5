-- Deploy integration-sync:function_configure_integration to pg
-- requires: function_require_caller function_require_known_type function_raise_error function_url_problem function_is_service_role function_is_global_admin function_error_excerpt table_organization_integrations_warmup_url trigger_organization_integrations_url_rules function_settings_row
-- 0.3 (issue 23, DESIGN §13 "Adoption"): register or change an integration of an org in one
-- call, for service_role (a backend, the CLI `orchestrator integrations add`) and global
-- admins. An upsert of the (org, type) pair: a new pair is created enabled and scheduled
-- from its interval; an existing one keeps its schedule anchor, its runs and its health
-- history (a changed interval re-aligns next_sync_at through the schedule trigger; a
-- disabled pair's pending run is cancelled and a delivery switch re-routes it, as for any
-- write). Checks: not_authenticated, invalid_argument (NULL or out-of-range values, a URL
-- that breaks the URL rules, pg_net without pg_net), permission_denied (anyone but
-- service_role and global admins), unknown_integration_type. A refused call writes nothing.
-- The exposed RPC public.configure_integration is an invoker; its body, the SECURITY
-- DEFINER integration_ops.configure_integration, is not exposed.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.configure_integration(
  org_id uuid,
  integration_type text,
  endpoint_url text,
  sync_interval interval DEFAULT '1 hour',
  delivery text DEFAULT 'worker',
  health_mode text DEFAULT 'active',
  health_config jsonb DEFAULT '{}'::jsonb,
  warmup_url text DEFAULT NULL,
  enabled boolean DEFAULT true
)
RETURNS public.organization_integrations
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
  v_row public.organization_integrations;
  v_problem text;
  v_hosts text[];
BEGIN
  -- 1. caller (service_role, or a user with a valid sub)
  PERFORM integration_ops.require_caller();
  -- 2. arguments
  IF configure_integration.org_id IS NULL OR configure_integration.integration_type IS NULL
     OR configure_integration.endpoint_url IS NULL OR configure_integration.delivery IS NULL
     OR configure_integration.health_mode IS NULL OR configure_integration.health_config IS NULL
     OR configure_integration.enabled IS NULL THEN
    PERFORM integration_ops.raise_error('invalid_argument',
      'org_id, integration_type, endpoint_url, delivery, health_mode, health_config and enabled are required (sync_interval NULL: manual runs only).');
  END IF;
  IF configure_integration.delivery NOT IN ('worker', 'pg_net') THEN
    PERFORM integration_ops.raise_error('invalid_argument', 'delivery is worker or pg_net.');
  END IF;
  IF configure_integration.health_mode NOT IN ('active', 'passive', 'disabled') THEN
    PERFORM integration_ops.raise_error('invalid_argument', 'health_mode is active, passive or disabled.');
  END IF;
  IF jsonb_typeof(configure_integration.health_config) <> 'object' THEN
    PERFORM integration_ops.raise_error('invalid_argument', 'health_config is a JSON object.');
  END IF;
  IF configure_integration.sync_interval IS NOT NULL
     AND (configure_integration.sync_interval < interval '1 minute'
          OR extract(year FROM configure_integration.sync_interval) <> 0
          OR extract(month FROM configure_integration.sync_interval) <> 0) THEN
    PERFORM integration_ops.raise_error('invalid_argument',
      'sync_interval is at least 1 minute, in days, hours or minutes (NULL: manual runs only).');
  END IF;
  IF length(configure_integration.endpoint_url) > 2000 OR length(configure_integration.warmup_url) > 2000 THEN
    PERFORM integration_ops.raise_error('invalid_argument', 'URLs are at most 2000 characters.');
  END IF;
  v_hosts := (integration_ops.settings_row()).allowed_http_hosts;
  v_problem := integration_ops.url_problem(configure_integration.endpoint_url, v_hosts);
  IF v_problem IS NULL AND configure_integration.warmup_url IS NOT NULL THEN
    v_problem := integration_ops.url_problem(configure_integration.warmup_url, v_hosts);
  END IF;
  IF v_problem IS NULL AND configure_integration.health_config ? 'url' THEN
    v_problem := integration_ops.url_problem(configure_integration.health_config ->> 'url', v_hosts);
  END IF;
  IF v_problem IS NOT NULL THEN
    PERFORM integration_ops.raise_error('invalid_argument',
      format('A URL is refused: %s. URLs are https; plain http and private, link-local or metadata destinations only for hosts in settings.allowed_http_hosts.', v_problem));
  END IF;
  -- 3. who may configure: service_role and global admins
  IF NOT (integration_ops.is_service_role() OR integration_ops.is_global_admin()) THEN
    PERFORM integration_ops.raise_error('permission_denied',
      'Configuring integrations is for service_role and global administrators.');
  END IF;
  -- 4. the allowlist
  PERFORM integration_ops.require_known_type(configure_integration.integration_type);

  INSERT INTO public.organization_integrations AS oi
    (org_id, integration_type, endpoint_url, sync_interval, delivery, health_mode, health_config,
     warmup_url, enabled)
  VALUES (configure_integration.org_id, configure_integration.integration_type,
          configure_integration.endpoint_url, configure_integration.sync_interval,
          configure_integration.delivery, configure_integration.health_mode,
          configure_integration.health_config, configure_integration.warmup_url,
          configure_integration.enabled)
  ON CONFLICT ON CONSTRAINT organization_integrations_pkey DO UPDATE
     SET endpoint_url = EXCLUDED.endpoint_url,
         sync_interval = EXCLUDED.sync_interval,
         delivery = EXCLUDED.delivery,
         health_mode = EXCLUDED.health_mode,
         health_config = EXCLUDED.health_config,
         warmup_url = EXCLUDED.warmup_url,
         enabled = EXCLUDED.enabled
  RETURNING oi.* INTO v_row;
  RETURN v_row;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.configure_integration(uuid, text, text, interval, text, text, jsonb, text, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION integration_ops.configure_integration(uuid, text, text, interval, text, text, jsonb, text, boolean)
  TO authenticated, service_role;
COMMENT ON FUNCTION integration_ops.configure_integration(uuid, text, text, interval, text, text, jsonb, text, boolean) IS
  'Body of public.configure_integration (SECURITY DEFINER, not exposed): the checks and the work. Call public.configure_integration.';

CREATE OR REPLACE FUNCTION public.configure_integration(
  org_id uuid,
  integration_type text,
  endpoint_url text,
  sync_interval interval DEFAULT '1 hour',
  delivery text DEFAULT 'worker',
  health_mode text DEFAULT 'active',
  health_config jsonb DEFAULT '{}'::jsonb,
  warmup_url text DEFAULT NULL,
  enabled boolean DEFAULT true
)
RETURNS public.organization_integrations
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  RETURN integration_ops.configure_integration(configure_integration.org_id,
    configure_integration.integration_type, configure_integration.endpoint_url,
    configure_integration.sync_interval, configure_integration.delivery,
    configure_integration.health_mode, configure_integration.health_config,
    configure_integration.warmup_url, configure_integration.enabled);
END
$$;

REVOKE ALL ON FUNCTION public.configure_integration(uuid, text, text, interval, text, text, jsonb, text, boolean) FROM PUBLIC, anon, authenticated;
GRANT EXECUTE ON FUNCTION public.configure_integration(uuid, text, text, interval, text, text, jsonb, text, boolean)
  TO authenticated, service_role;
COMMENT ON FUNCTION public.configure_integration(uuid, text, text, interval, text, text, jsonb, text, boolean) IS
  'Register or change the integration (org_id, integration_type): endpoint_url (https; see the URL rules), sync_interval (default 1 hour; NULL: manual only), delivery (worker | pg_net), health_mode, health_config, warmup_url, enabled. An upsert that keeps an existing pair''s schedule anchor, runs and health history; returns the organization_integrations row. service_role and global admins; errors not_authenticated, invalid_argument, permission_denied, unknown_integration_type. A refused call writes nothing.';

COMMIT;
