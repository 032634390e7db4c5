-- Verify integration-sync:table_integration_warmups on pg
BEGIN;
SELECT org_id, integration_type, warmed_for, claimed_by, claimed_at, answered_at, http_status, net_request_id
  FROM integration_ops.integration_warmups WHERE false;
SELECT 1/has_table_privilege('service_role', 'integration_ops.integration_warmups', 'SELECT')::int;
SELECT 1/(NOT has_table_privilege('service_role', 'integration_ops.integration_warmups', 'UPDATE'))::int;
SELECT 1/(NOT has_table_privilege('integration_worker', 'integration_ops.integration_warmups', 'SELECT'))::int;
SELECT 1/(NOT has_table_privilege('authenticated', 'integration_ops.integration_warmups', 'SELECT'))::int;
ROLLBACK;
