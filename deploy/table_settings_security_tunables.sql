-- Deploy integration-sync:table_settings_security_tunables to pg
-- requires: table_settings table_settings_engine_tunables
-- 0.3 (issue 21, DESIGN §13 "Safe in someone else's production"):
--  * allowed_http_hosts: the hosts a URL (endpoint_url, warmup_url, a health url) may name
--    with plain http, and the hosts exempt from the private/link-local/metadata refusal;
--    default loopback only;
--  * webhook_secret_name: the Vault secret (whsec_<base64>) pg_net signs its calls with
--    (Standard Webhooks); the worker reads ORCHESTRATOR_WEBHOOK_SECRET instead;
--  * gateway_key_secret_name: the Vault secret holding the project's anon/publishable key,
--    sent as Authorization: Bearer for Supabase's gateway JWT check; NULL sends none.
-- From 0.3 the service-role key is never sent: settings.pg_net_vault_secret (0.2) is no
-- longer read. Like pg_net_vault_secret, these three are changed only by the deploying role
-- (no UPDATE grant): they decide where requests may go and what they carry.
BEGIN;
SET LOCAL lock_timeout = '5s';

ALTER TABLE integration_ops.settings
  ADD COLUMN IF NOT EXISTS allowed_http_hosts text[] NOT NULL DEFAULT ARRAY['127.0.0.1', 'localhost', '::1']
    CONSTRAINT settings_allowed_http_hosts_size CHECK (cardinality(allowed_http_hosts) <= 100),
  ADD COLUMN IF NOT EXISTS webhook_secret_name text NOT NULL DEFAULT 'integration_webhook_secret'
    CONSTRAINT settings_webhook_secret_name_length CHECK (length(webhook_secret_name) BETWEEN 1 AND 200),
  ADD COLUMN IF NOT EXISTS gateway_key_secret_name text
    CONSTRAINT settings_gateway_key_secret_name_length CHECK (length(gateway_key_secret_name) BETWEEN 1 AND 200);

COMMENT ON COLUMN integration_ops.settings.allowed_http_hosts IS
  'Host names or addresses a URL may use with plain http, and that are exempt from the refusal of private, link-local and metadata destinations (DESIGN §13). Default: loopback only. Changed only by the deploying role.';
COMMENT ON COLUMN integration_ops.settings.webhook_secret_name IS
  'Name of the Vault secret (whsec_<base64>) pg_net signs integration calls and warm-ups with (Standard Webhooks). Changed only by the deploying role.';
COMMENT ON COLUMN integration_ops.settings.gateway_key_secret_name IS
  'Name of the Vault secret holding the anon/publishable key pg_net sends as Authorization: Bearer (Supabase''s gateway JWT check); NULL: no Authorization header. Never the service-role key. Changed only by the deploying role.';
COMMENT ON COLUMN integration_ops.settings.pg_net_vault_secret IS
  'Unused since 0.3 (it named the service-role key pg_net sent until 0.2; the key is never sent now: remove it from Vault). See webhook_secret_name and gateway_key_secret_name.';

COMMIT;
