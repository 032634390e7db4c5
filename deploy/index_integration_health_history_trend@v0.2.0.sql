-- Deploy integration-sync:index_integration_health_history_trend to pg
-- requires: table_integration_health_history
-- get_health_trend as an index-only scan (issue 16): integration_health_history_pair_idx
-- (org_id, integration_type, checked_at DESC, id DESC) now also INCLUDEs the returned
-- columns status and latency_ms. A pair's history rows are written 15 minutes apart,
-- between every other pair's, so each sits on its own heap page: 0.1 read 96 scattered
-- heap pages for a 24-hour trend; the covering index reads 2-3 index pages.
--
-- Same name, same key (the trigger's prune and the trend read use it as before); the
-- swap is skipped when the index already covers (re-runnable). The build holds SHARE on
-- the history table: health results wait for it (about a second per million history
-- rows on a small instance; plan the deploy accordingly).
--
-- An index-only scan skips the heap only on pages the visibility map marks all-visible,
-- and the rows a trend reads are the newest. With the default scale factors (0.2)
-- autovacuum would visit a 19 M-row history only after ~4 M inserts or deletes (hours
-- at 200,000 pairs); at 0.02 it follows the inserts within the hour. Table-level
-- settings of this table only (no database-wide default changes).
BEGIN;
SET LOCAL lock_timeout = '5s';

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_index AS i
                  WHERE i.indexrelid = pg_catalog.to_regclass('public.integration_health_history_pair_idx')
                    AND i.indnatts > i.indnkeyatts) THEN
    DROP INDEX IF EXISTS public.integration_health_history_pair_cover_idx;
    CREATE INDEX integration_health_history_pair_cover_idx
      ON public.integration_health_history (org_id, integration_type, checked_at DESC, id DESC)
      INCLUDE (status, latency_ms);
    DROP INDEX IF EXISTS public.integration_health_history_pair_idx;
    ALTER INDEX public.integration_health_history_pair_cover_idx RENAME TO integration_health_history_pair_idx;
  END IF;
END
$$;

ALTER TABLE public.integration_health_history SET (
  autovacuum_vacuum_scale_factor = 0.02,
  autovacuum_vacuum_insert_scale_factor = 0.02
);

COMMENT ON INDEX public.integration_health_history_pair_idx IS
  'A pair''s history newest first, ties by id: the trigger''s prune to history_cap and get_health_trend (an index-only scan: status and latency_ms are included).';

COMMIT;
