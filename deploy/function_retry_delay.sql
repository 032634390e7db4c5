-- Deploy integration-sync:function_retry_delay to pg
-- requires: function_settings_row table_settings_outcome_tunables
-- 0.3 (issue 22, DESIGN §13): how long attempt n + 1 of a period waits after attempt n
-- failed. The answer's Retry-After when it has one we can read: delay-seconds, or an
-- HTTP-date in the IMF-fixdate form RFC 9110 makes senders use ("Sun, 06 Nov 1994
-- 08:49:37 GMT"; a date in the past means now), capped at settings.retry_after_cap.
-- Otherwise full-jitter exponential backoff: a random time in
-- [0, min(retry_max_delay, retry_base_delay * 2^(n-1))]. An unreadable Retry-After falls
-- back to the backoff. No exception block: it runs inside callers' per-row sub-transactions.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.retry_delay(attempt integer, retry_after text, now timestamptz)
RETURNS interval
LANGUAGE plpgsql
VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v_settings integration_ops.settings := integration_ops.settings_row();
  v_text text := btrim(left(retry_delay.retry_after, 100));
  v_parts text[];
  v_month integer;
  v_day integer;
  v_year integer;
  v_date date;
  v_at timestamptz;
  v_ceiling interval;
BEGIN
  IF v_text ~ '^[0-9]{1,9}$' THEN
    RETURN least(make_interval(secs => v_text::integer), v_settings.retry_after_cap);
  END IF;
  v_parts := regexp_match(v_text,
    '^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), ([0-9]{2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ([0-9]{4}) ([01][0-9]|2[0-3]):([0-5][0-9]):([0-5][0-9]|60) GMT$');
  IF v_parts IS NOT NULL THEN
    v_month := (strpos('JanFebMarAprMayJunJulAugSepOctNovDec', v_parts[3]) + 2) / 3;
    v_day := v_parts[2]::integer;
    v_year := v_parts[4]::integer;
    -- a day the month does not have (31 Feb) is not a date: back to the backoff
    IF v_day BETWEEN 1 AND 31 AND v_year BETWEEN 1 AND 9999 THEN
      v_date := make_date(v_year, v_month, 1) + (v_day - 1);
      IF extract(month FROM v_date) = v_month THEN
        v_at := (v_date + make_time(v_parts[5]::integer, v_parts[6]::integer,
                                    least(v_parts[7]::integer, 59)))::timestamp AT TIME ZONE 'UTC';
        RETURN least(greatest(v_at - retry_delay.now, interval '0'), v_settings.retry_after_cap);
      END IF;
    END IF;
  END IF;
  v_ceiling := least(v_settings.retry_max_delay,
                     v_settings.retry_base_delay * power(2, least(greatest(retry_delay.attempt, 1) - 1, 30)));
  RETURN v_ceiling * random();
END
$$;

REVOKE ALL ON FUNCTION integration_ops.retry_delay(integer, text, timestamptz) FROM PUBLIC;
COMMENT ON FUNCTION integration_ops.retry_delay(integer, text, timestamptz) IS
  'Internal: the wait before the next attempt after attempt n failed: Retry-After (delay-seconds or IMF-fixdate HTTP-date, capped at settings.retry_after_cap), else full-jitter backoff random() * min(retry_max_delay, retry_base_delay * 2^(n-1)).';

COMMIT;
