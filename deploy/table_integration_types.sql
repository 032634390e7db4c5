-- Deploy integration-sync:table_integration_types to pg
-- requires: function_claim_helpers
-- The allowlist of integration types; new types come by migration.
BEGIN;

CREATE TABLE IF NOT EXISTS public.integration_types (
  integration_type text PRIMARY KEY CHECK (integration_type ~ '^[a-z][a-z0-9_]{1,62}$'),
  display_name text NOT NULL CHECK (btrim(display_name) <> ''),
  category text NOT NULL DEFAULT 'other' CHECK (category IN ('accounting', 'reporting', 'other')),
  created_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO public.integration_types (integration_type, display_name, category) VALUES
  ('xledger', 'Xledger', 'accounting'),
  ('dynamics', 'Microsoft Dynamics', 'accounting'),
  ('bufdir', 'Bufdir', 'reporting')
ON CONFLICT (integration_type) DO NOTHING;

ALTER TABLE public.integration_types ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE public.integration_types FROM PUBLIC, anon, authenticated;
GRANT SELECT ON TABLE public.integration_types TO authenticated;
GRANT ALL ON TABLE public.integration_types TO service_role;

DROP POLICY IF EXISTS integration_types_read ON public.integration_types;
CREATE POLICY integration_types_read ON public.integration_types
  FOR SELECT TO authenticated
  USING (true);

COMMENT ON TABLE public.integration_types IS
  'Allowlist of integration types (xledger, dynamics, bufdir, ...). Readable by signed-in users; new types come by migration.';
COMMENT ON COLUMN public.integration_types.display_name IS 'Name shown in the app.';

COMMIT;
