// The integration side of the sync call (DESIGN §11, §13) as a Supabase Edge Function.
// Written by `orchestrator init edge-function DIR`; docs/supabase.md §10 explains it.
//
//   POST  the sync call, signed (Standard Webhooks): body {run_id, org_id,
//         integration_type, triggered_by, scheduled_for, idempotency_key};
//         answers {records_processed, records_failed}.
//   GET   a warm-up, signed (the package sends one `warmup_lead` before a scheduled
//         period): answers 204 at once and exports nothing.
//
// Fill in `exportRun()` below. handler.ts checks the signature (secret: the environment
// variable WEBHOOK_SECRET, `whsec_…`), validates the body and answers a repeated
// Idempotency-Key with the first result; it keeps those keys in memory only (see there).
// Test it with `deno test index.test.ts`.
//
// Deploy: `supabase secrets set WEBHOOK_SECRET=whsec_…`, then
// `supabase functions deploy <name> --no-verify-jwt` (the signature is the check).

import { createHandler, type SyncRequest, type SyncResult } from "./handler.ts";

// Fill this in: export what the run asks for and count the records. Record
// `run.idempotency_key ?? run.run_id` durably with the export, so that a retry of a period
// already exported is answered from that record after the function was recycled.
// The template does nothing and reports 0 records.
// deno-lint-ignore require-await
export async function exportRun(_run: SyncRequest): Promise<SyncResult> {
  return { records_processed: 0, records_failed: 0 };
}

Deno.serve(
  {
    port: Number(Deno.env.get("PORT") ?? "8000"),
    hostname: Deno.env.get("HOST") ?? "0.0.0.0",
  },
  createHandler({
    secret: Deno.env.get("WEBHOOK_SECRET") ?? "",
    exportRun,
    exposeCounter: Deno.env.get("INTEGRATION_SYNC_EXPOSE_COUNTER") === "1",
  }),
);
