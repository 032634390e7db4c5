-- Revert integration-sync:index_integration_health_history_trend from pg
-- Back to the 0.1 index (same key, no included columns) and the default autovacuum
-- scale factors of the history table.
BEGIN;
SET LOCAL lock_timeout = '5s';

DO $$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_index AS i
              WHERE i.indexrelid = pg_catalog.to_regclass('public.integration_health_history_pair_idx')
                AND i.indnatts > i.indnkeyatts) THEN
    DROP INDEX IF EXISTS public.integration_health_history_pair_plain_idx;
    CREATE INDEX integration_health_history_pair_plain_idx
      ON public.integration_health_history (org_id, integration_type, checked_at DESC, id DESC);
    DROP INDEX public.integration_health_history_pair_idx;
    ALTER INDEX public.integration_health_history_pair_plain_idx RENAME TO integration_health_history_pair_idx;
  END IF;
END
$$;
COMMENT ON INDEX public.integration_health_history_pair_idx IS NULL;

ALTER TABLE public.integration_health_history RESET (
  autovacuum_vacuum_scale_factor,
  autovacuum_vacuum_insert_scale_factor
);

COMMIT;
