// The integration side of the sync contract (DESIGN §11), as a Supabase Edge Function.
//
// Copy this folder to `supabase/functions/<name>/`, fill in `exportRun()` and deploy it
// (`supabase functions deploy <name> --no-verify-jwt`, see docs/supabase.md).
//
//   POST   the sync call: `Authorization: Bearer <SUPABASE_SERVICE_ROLE_KEY>`,
//          `Idempotency-Key`, body {run_id, org_id, integration_type, triggered_by,
//          scheduled_for, idempotency_key}; answers {records_processed, records_failed}.
//   GET    a warm-up (the package sends one `warmup_lead` before a scheduled period):
//          answers 204 at once and exports nothing.
//
// Every request without the service role key as its bearer token gets 401.
//
// Idempotency: a repeated Idempotency-Key answers the first result instead of
// exporting twice. THE TEMPLATE KEEPS THE KEYS IN MEMORY: they are lost when the
// function instance is recycled, and two instances do not share them. A production
// integration records the key durably (a table keyed by it, or the vendor's own
// idempotency support) inside `exportRun()`.

export interface SyncRequest {
  run_id: string;
  org_id: string;
  integration_type: string;
  triggered_by: "scheduler" | "manual";
  scheduled_for: string | null;
  idempotency_key: string | null;
}

export interface SyncResult {
  records_processed: number;
  records_failed: number;
}

// Fill this in: export what the run asks for and count the records.
// The template does nothing and reports 0 records.
// deno-lint-ignore require-await
export async function exportRun(_run: SyncRequest): Promise<SyncResult> {
  return { records_processed: 0, records_failed: 0 };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_KEY_LENGTH = 500;

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json" },
  });
}

function sameSecret(given: string, expected: string): boolean {
  // Compares every byte whatever the first mismatch (no early exit on a prefix).
  const a = new TextEncoder().encode(given);
  const b = new TextEncoder().encode(expected);
  let diff = a.length ^ b.length;
  for (let i = 0; i < b.length; i++) diff |= (a[i] ?? 0) ^ b[i];
  return diff === 0;
}

function authorized(req: Request, serviceKey: string): boolean {
  const header = req.headers.get("Authorization") ?? "";
  const match = /^Bearer\s+(.+)$/i.exec(header);
  return serviceKey !== "" && match !== null &&
    sameSecret(match[1].trim(), serviceKey);
}

// The DESIGN §11 body, or a sentence saying what is wrong with it.
export function validate(body: unknown): SyncRequest | string {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return "the body must be a JSON object";
  }
  const b = body as Record<string, unknown>;
  if (typeof b.run_id !== "string" || !UUID.test(b.run_id)) {
    return "run_id must be a uuid";
  }
  if (typeof b.org_id !== "string" || !UUID.test(b.org_id)) {
    return "org_id must be a uuid";
  }
  if (typeof b.integration_type !== "string" || b.integration_type === "") {
    return "integration_type must be a non-empty string";
  }
  if (b.triggered_by !== "scheduler" && b.triggered_by !== "manual") {
    return "triggered_by must be 'scheduler' or 'manual'";
  }
  const scheduled = b.scheduled_for ?? null;
  if (
    scheduled !== null &&
    (typeof scheduled !== "string" || isNaN(Date.parse(scheduled)))
  ) {
    return "scheduled_for must be an ISO 8601 timestamp or null";
  }
  const key = b.idempotency_key ?? null;
  if (key !== null && typeof key !== "string") {
    return "idempotency_key must be a string or null";
  }
  return {
    run_id: b.run_id,
    org_id: b.org_id,
    integration_type: b.integration_type,
    triggered_by: b.triggered_by,
    scheduled_for: scheduled,
    idempotency_key: key,
  };
}

export interface HandlerOptions {
  serviceKey: string;
  exportRun: (run: SyncRequest) => Promise<SyncResult>;
  // Only for tests: GET /__exports answers how many times exportRun was called.
  exposeCounter?: boolean;
}

export function createHandler(
  options: HandlerOptions,
): (req: Request) => Promise<Response> {
  // Idempotency-Key → the first call's result (a pending promise while it runs, so a
  // concurrent repeat waits for it instead of exporting again). In memory: see above.
  const results = new Map<string, Promise<SyncResult>>();
  let exports = 0;

  return async (req: Request): Promise<Response> => {
    if (!authorized(req, options.serviceKey)) {
      return json(401, { error: "unauthorized" });
    }
    if (req.method === "GET" || req.method === "HEAD") {
      if (
        options.exposeCounter &&
        new URL(req.url).pathname.endsWith("/__exports")
      ) {
        return json(200, { exports });
      }
      return new Response(null, { status: 204 }); // warm-up: nothing else to do
    }
    if (req.method !== "POST") {
      return json(405, { error: "method not allowed" });
    }
    let body: unknown;
    try {
      body = await req.json();
    } catch {
      return json(400, { error: "the body is not JSON" });
    }
    const run = validate(body);
    if (typeof run === "string") return json(400, { error: run });

    const key = req.headers.get("Idempotency-Key") ?? run.idempotency_key ??
      run.run_id;
    if (key.length > MAX_KEY_LENGTH) {
      return json(400, { error: "Idempotency-Key is too long" });
    }

    let result = results.get(key);
    if (result === undefined) {
      exports++;
      result = options.exportRun(run);
      results.set(key, result);
    }
    try {
      const { records_processed, records_failed } = await result;
      return json(200, { records_processed, records_failed });
    } catch (err) {
      results.delete(key); // a failed export may be retried with the same key
      console.error(`exportRun failed for run ${run.run_id}:`, err);
      return json(500, { error: "export failed" });
    }
  };
}

const handler = createHandler({
  serviceKey: Deno.env.get("SUPABASE_SERVICE_ROLE_KEY") ?? "",
  exportRun,
  exposeCounter: Deno.env.get("INTEGRATION_SYNC_EXPOSE_COUNTER") === "1",
});

Deno.serve({
  port: Number(Deno.env.get("PORT") ?? "8000"),
  hostname: Deno.env.get("HOST") ?? "0.0.0.0",
}, handler);
