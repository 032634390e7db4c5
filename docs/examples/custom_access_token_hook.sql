-- Supabase custom access token hook: adds the `org_id` and `user_role` claims this
-- package reads (docs/contract.md §4). Enable it in the dashboard under Authentication → Hooks
-- (or `[auth.hook.custom_access_token]` in supabase/config.toml) and point it at
-- public.custom_access_token_hook. Executed by tests/test_docs_examples.py.
--
-- Which org the session acts for: the user's app_metadata.active_org_id when they are a
-- member of it, otherwise their only (or oldest) membership. Global administrators are
-- marked by app_metadata.global_admin = true (app_metadata is writable only with the
-- service key, never by the user).

CREATE OR REPLACE FUNCTION public.custom_access_token_hook(event jsonb)
RETURNS jsonb
LANGUAGE plpgsql
STABLE
SET search_path = ''
AS $$
DECLARE
  v_user_id uuid := (event ->> 'user_id')::uuid;
  v_claims jsonb := coalesce(event -> 'claims', '{}'::jsonb);
  v_app_meta jsonb;
  v_wanted uuid;
  v_org_id uuid;
BEGIN
  SELECT u.raw_app_meta_data INTO v_app_meta FROM auth.users AS u WHERE u.id = v_user_id;

  IF (v_app_meta ->> 'active_org_id') ~* '^[0-9a-f-]{36}$' THEN
    v_wanted := (v_app_meta ->> 'active_org_id')::uuid;
  END IF;

  SELECT m.org_id INTO v_org_id
    FROM integration_ops.org_members AS m
   WHERE m.user_id = v_user_id
   ORDER BY (m.org_id = v_wanted) DESC NULLS LAST, m.created_at, m.org_id
   LIMIT 1;

  IF v_org_id IS NOT NULL THEN
    v_claims := jsonb_set(v_claims, '{org_id}', to_jsonb(v_org_id));
  ELSE
    v_claims := v_claims - 'org_id';
  END IF;

  IF coalesce((v_app_meta ->> 'global_admin')::boolean, false) THEN
    v_claims := jsonb_set(v_claims, '{user_role}', '"global_admin"');
  ELSE
    v_claims := v_claims - 'user_role';
  END IF;

  RETURN jsonb_set(event, '{claims}', v_claims);
END
$$;

-- Only Supabase Auth runs the hook.
GRANT USAGE ON SCHEMA public TO supabase_auth_admin;
GRANT USAGE ON SCHEMA integration_ops TO supabase_auth_admin;
GRANT SELECT ON TABLE integration_ops.org_members TO supabase_auth_admin;
GRANT EXECUTE ON FUNCTION public.custom_access_token_hook(jsonb) TO supabase_auth_admin;
REVOKE EXECUTE ON FUNCTION public.custom_access_token_hook(jsonb) FROM PUBLIC, anon, authenticated;
-- org_members has RLS on: let the auth server read memberships (and nothing else).
DROP POLICY IF EXISTS org_members_auth_hook_read ON integration_ops.org_members;
CREATE POLICY org_members_auth_hook_read ON integration_ops.org_members
  FOR SELECT TO supabase_auth_admin USING (true);
