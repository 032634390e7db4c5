-- Supabase's database advisor (the splinter lints), checked on the deployed plan from the
-- lints' documented rules (written here, not copied): the package's own objects raise no
-- WARN or ERROR. The one exception is function_search_path_mutable on the three procedures
-- that COMMIT between batches (Postgres refuses a SET clause there); docs/supabase.md names
-- them and says why they are safe. Exposed schema: public (PostgREST's db_schemas).
BEGIN;
SELECT plan(11);

-- 0011 function_search_path_mutable (WARN): every function sets search_path
SELECT is_empty($$
  SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
   WHERE n.nspname IN ('public', 'integration_ops')
     AND NOT EXISTS (SELECT 1 FROM unnest(coalesce(p.proconfig, '{}')) AS c WHERE c LIKE 'search_path=%')
     AND p.oid NOT IN ('integration_ops.cleanup_health_history()'::regprocedure,
                       'integration_ops.dispatch_all_due_syncs()'::regprocedure,
                       'integration_ops.archive_sync_run_log_backlog()'::regprocedure,
                       'integration_ops.pump_pg_net_runs()'::regprocedure)$$,
  'function_search_path_mutable: every function but the four committing procedures sets search_path');
SELECT is_empty($$
  SELECT p.oid::regprocedure::text FROM pg_proc p
   WHERE p.oid IN ('integration_ops.cleanup_health_history()'::regprocedure,
                   'integration_ops.dispatch_all_due_syncs()'::regprocedure,
                   'integration_ops.archive_sync_run_log_backlog()'::regprocedure,
                   'integration_ops.pump_pg_net_runs()'::regprocedure)
     AND (p.prokind <> 'p' OR p.prosecdef
          OR has_function_privilege('anon', p.oid, 'execute')
          OR has_function_privilege('authenticated', p.oid, 'execute')
          OR has_function_privilege('service_role', p.oid, 'execute')
          OR has_function_privilege('integration_worker', p.oid, 'execute'))$$,
  'the exceptions are invoker procedures no API role (nor the worker) may execute');

-- 0028 / 0029 (WARN): no SECURITY DEFINER function in the exposed schema that anon or
-- authenticated can execute; the package keeps no definer function in public at all
SELECT is_empty($$
  SELECT p.oid::regprocedure::text FROM pg_proc p
   WHERE p.pronamespace = 'public'::regnamespace AND p.prosecdef
     AND (has_function_privilege('anon', p.oid, 'execute')
          OR has_function_privilege('authenticated', p.oid, 'execute'))$$,
  'anon/authenticated_security_definer_function_executable: none in public');
SELECT is_empty($$
  SELECT p.oid::regprocedure::text FROM pg_proc p
   WHERE p.pronamespace = 'public'::regnamespace AND p.prosecdef$$,
  'public holds no SECURITY DEFINER function (the bodies live in integration_ops)');
SELECT is_empty($$
  SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
   WHERE n.nspname IN ('public', 'integration_ops') AND p.prosecdef
     AND has_function_privilege('anon', p.oid, 'execute')$$,
  'anon executes no SECURITY DEFINER function in any schema of the package');

-- 0013 rls_disabled_in_public (ERROR) and 0008 rls_enabled_no_policy: every table in the
-- exposed schema has RLS and at least one policy
SELECT is_empty($$
  SELECT c.oid::regclass::text FROM pg_class c
   WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
     AND (NOT c.relrowsecurity
          OR NOT EXISTS (SELECT 1 FROM pg_policy pol WHERE pol.polrelid = c.oid))$$,
  'rls_disabled_in_public / rls_enabled_no_policy: every public table has RLS and a policy');

-- 0003 auth_rls_initplan (WARN): no policy re-evaluates a claim reader per row; the package's
-- helpers are called as (SELECT fn()) so they run once per statement
SELECT is_empty($$
  SELECT format('%s.%s', pol.polrelid::regclass, pol.polname) FROM pg_policy pol
    JOIN pg_class c ON c.oid = pol.polrelid
   WHERE c.relnamespace IN ('public'::regnamespace, 'integration_ops'::regnamespace)
     AND EXISTS (
       SELECT 1 FROM unnest(ARRAY[pg_get_expr(pol.polqual, pol.polrelid),
                                  pg_get_expr(pol.polwithcheck, pol.polrelid)]) AS e(expr)
        WHERE e.expr ~ '(auth\.(uid|jwt|role|email)\(\)|current_setting\(|integration_ops\.[a-z_]+\()'
          AND regexp_replace(e.expr, '\(\s*SELECT\s+(auth|integration_ops)\.[a-z_]+\([^()]*\)(\s+AS\s+[a-z_]+)?\s*\)', '', 'gi')
              ~ '(auth\.(uid|jwt|role|email)\(\)|current_setting\(|integration_ops\.[a-z_]+\()')$$,
  'auth_rls_initplan: every function call in a policy is wrapped in (SELECT …)');

-- 0006 multiple_permissive_policies (WARN): one permissive policy per role and action
SELECT is_empty($$
  SELECT format('%s %s %s', pol.polrelid::regclass, r.rolname, pol.polcmd)
    FROM pg_policy pol
    JOIN pg_class c ON c.oid = pol.polrelid
    CROSS JOIN LATERAL unnest(pol.polroles) AS pr(role_oid)
    JOIN pg_roles r ON r.oid = pr.role_oid
   WHERE c.relnamespace IN ('public'::regnamespace, 'integration_ops'::regnamespace)
     AND pol.polpermissive
   GROUP BY pol.polrelid, r.rolname, pol.polcmd
  HAVING count(*) > 1$$,
  'multiple_permissive_policies: none');

-- 0010 security_definer_view (ERROR), 0016 materialized_view_in_api, 0017 foreign_table_in_api
SELECT is_empty($$
  SELECT c.oid::regclass::text FROM pg_class c
   WHERE c.relnamespace = 'public'::regnamespace
     AND (c.relkind IN ('m', 'f')
          OR (c.relkind = 'v' AND NOT coalesce(c.reloptions @> ARRAY['security_invoker=true'], false)))$$,
  'no definer view, materialized view or foreign table in public');

-- 0009 duplicate_index (WARN): no two indexes of a table with the same definition
SELECT is_empty($$
  SELECT i.indrelid::regclass::text FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
   WHERE c.relnamespace IN ('public'::regnamespace, 'integration_ops'::regnamespace)
   GROUP BY i.indrelid, i.indkey::text, i.indclass::text, coalesce(pg_get_expr(i.indexprs, i.indrelid), ''),
            coalesce(pg_get_expr(i.indpred, i.indrelid), '')
  HAVING count(*) > 1$$,
  'duplicate_index: none');

-- 0018 unsupported_reg_types (WARN): no column of a reg* type other than regclass/regrole/regtype
SELECT is_empty($$
  SELECT format('%s.%s', a.attrelid::regclass, a.attname) FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid
   WHERE c.relnamespace IN ('public'::regnamespace, 'integration_ops'::regnamespace)
     AND a.attnum > 0 AND NOT a.attisdropped
     AND a.atttypid IN ('regcollation'::regtype, 'regconfig'::regtype, 'regdictionary'::regtype,
                        'regnamespace'::regtype, 'regoper'::regtype, 'regoperator'::regtype,
                        'regproc'::regtype, 'regprocedure'::regtype)$$,
  'unsupported_reg_types: none');

SELECT * FROM finish();
ROLLBACK;
