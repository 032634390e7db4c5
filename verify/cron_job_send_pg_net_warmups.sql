-- Verify integration-sync:cron_job_send_pg_net_warmups on pg
BEGIN;
SELECT 1/COUNT(*) FROM cron.job
 WHERE jobname = 'integration_send_pg_net_warmups' AND command LIKE '%send_pg_net_warmups(%';
ROLLBACK;
