-- Demo seed for `make run` (never deployed to a real project).
-- Two orgs, a user for each role, the three integration types with schedules and
-- probes pointing at the DEMO STAND-IN endpoint whose base URL is read from the
-- setting demo.base_url. Re-runnable: it replaces the demo orgs' rows.

DO $$
DECLARE
  v_base text := current_setting('demo.base_url');
  v_org_a uuid := '0a000000-0000-4000-8000-00000000000a';  -- Fjordvik Kommune
  v_org_b uuid := '0b000000-0000-4000-8000-00000000000b';  -- Nordlys Barnevern
  v_user record;
BEGIN
  DELETE FROM public.organization_integrations WHERE org_id IN (v_org_a, v_org_b);
  DELETE FROM integration_ops.org_members WHERE org_id IN (v_org_a, v_org_b);

  FOR v_user IN
    SELECT * FROM (VALUES
      ('d0000000-0000-4000-8000-000000000001'::uuid, 'ada.admin@fjordvik.example', v_org_a, 'admin', false),
      ('d0000000-0000-4000-8000-000000000002'::uuid, 'cato.coordinator@fjordvik.example', v_org_a, 'coordinator', false),
      ('d0000000-0000-4000-8000-000000000003'::uuid, 'vilde.viewer@fjordvik.example', v_org_a, 'viewer', false),
      ('d0000000-0000-4000-8000-000000000004'::uuid, 'bo.admin@nordlys.example', v_org_b, 'admin', false),
      ('d0000000-0000-4000-8000-000000000005'::uuid, 'gro.global@platform.example', NULL, NULL, true)
    ) AS t(id, email, org_id, role, global_admin)
  LOOP
    INSERT INTO auth.users (id, aud, role, email, raw_app_meta_data)
    VALUES (v_user.id, 'authenticated', 'authenticated', v_user.email,
            jsonb_build_object('global_admin', v_user.global_admin))
    ON CONFLICT (id) DO NOTHING;
    IF v_user.org_id IS NOT NULL THEN
      INSERT INTO integration_ops.org_members (org_id, user_id, role)
      VALUES (v_user.org_id, v_user.id, v_user.role);
    END IF;
  END LOOP;

  -- Org A: one healthy, one slow (degraded), one failing (unreachable / failed runs).
  INSERT INTO public.organization_integrations
    (org_id, integration_type, sync_interval, endpoint_url, health_config, secret_ref)
  VALUES
    (v_org_a, 'xledger',  interval '15 minutes', v_base || '/sync/ok',
       jsonb_build_object('url', v_base || '/health/ok'), 'xledger_demo'),
    (v_org_a, 'dynamics', interval '1 hour',     v_base || '/sync/slow',
       jsonb_build_object('url', v_base || '/health/slow', 'degraded_latency_ms', 1000), NULL),
    (v_org_a, 'bufdir',   interval '1 day',      v_base || '/sync/fail',
       jsonb_build_object('url', v_base || '/health/fail'), NULL);

  -- Org B: a rate-limited vendor watched passively, and a manual-only integration.
  INSERT INTO public.organization_integrations
    (org_id, integration_type, sync_interval, endpoint_url, health_mode, health_config)
  VALUES
    (v_org_b, 'xledger',  interval '30 minutes', v_base || '/sync/ok', 'passive', '{}'::jsonb),
    (v_org_b, 'dynamics', NULL,                  v_base || '/sync/ok', 'active',
       jsonb_build_object('url', v_base || '/health/limited'));

  -- Make every scheduled pair due now, so the first dispatch picks them up.
  UPDATE public.organization_integrations
     SET next_sync_at = now() - interval '1 second'
   WHERE org_id IN (v_org_a, v_org_b) AND sync_interval IS NOT NULL;
END
$$;
