-- Deploy integration-sync:cron_job_send_pg_net_warmups to pg
-- requires: function_send_pg_net_warmups
-- The pg_net warm-up pass. pg_cron 1.5+ (Supabase) takes second schedules: every 10 s,
-- warm-ups go out warmup_lead (at most 10 s more) before the period. Older pg_cron runs it
-- every minute with a one-minute lookahead: warm-ups go out between warmup_lead and
-- warmup_lead + 1 minute before the period.
BEGIN;
SET LOCAL lock_timeout = '5s';

DO $$
DECLARE
  v_version text := (SELECT e.extversion FROM pg_catalog.pg_extension AS e WHERE e.extname = 'pg_cron');
BEGIN
  IF string_to_array(split_part(v_version, '-', 1), '.')::int[] >= ARRAY[1, 5] THEN
    PERFORM cron.schedule('integration_send_pg_net_warmups', '10 seconds',
                          'SELECT integration_ops.send_pg_net_warmups(interval ''10 seconds'')');
  ELSE
    PERFORM cron.schedule('integration_send_pg_net_warmups', '* * * * *',
                          'SELECT integration_ops.send_pg_net_warmups(interval ''1 minute'')');
  END IF;
END
$$;

COMMIT;
