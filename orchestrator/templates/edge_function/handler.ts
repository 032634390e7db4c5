// The machinery of the integration Edge Function (DESIGN §11, §13): signature check,
// request validation, idempotency. Fill in `exportRun()` in index.ts; this file needs no
// edits.
//
// Every request (the sync POST and the warm-up GET) is signed per Standard Webhooks
// (https://www.standardwebhooks.com) with the secret `WEBHOOK_SECRET` (`whsec_<base64>`):
//   webhook-id         the run's idempotency key (else its run id); a warm-up's is
//                      `warmup:<org_id>:<integration_type>:<period>`
//   webhook-timestamp  integer seconds since the epoch
//   webhook-signature  `v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<body>")>`
// A request without a valid signature, or whose timestamp is more than 5 minutes old (or
// ahead), gets 401 and nothing is exported. An `Authorization` header may come along for
// Supabase's gateway; this function never looks at it.
//
// Idempotency: the key is the signed `webhook-id` (the `Idempotency-Key` header, when
// sent, must equal it). Each key is bound to the (org_id, integration_type, scheduled_for)
// of its first call: a repeat with the same triple answers the first result without
// exporting again (the engine retries a failed period with the same key); the same key
// with another triple gets 409 and exports nothing. A failed export is forgotten, so a
// retry exports again.
//
// THE KEYS ARE KEPT IN MEMORY, BOUNDED: at most `maxKeys` (default 10,000; the least
// recently used goes first) for at most `maxAgeMs` (default 24 hours). They are lost when
// the function instance is recycled and two instances do not share them. A production
// integration records the key durably inside `exportRun()` (a table with the key as its
// primary key, or the vendor's own idempotency support).

import { Webhook, WebhookVerificationError } from "npm:standardwebhooks@1.3.0";

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

export type ExportRun = (run: SyncRequest) => Promise<SyncResult>;

export interface HandlerOptions {
  // `whsec_<base64>`, the same secret the worker (ORCHESTRATOR_WEBHOOK_SECRET) and
  // pg_net (Vault) sign with.
  secret: string;
  exportRun: ExportRun;
  maxKeys?: number;
  maxAgeMs?: number;
  // The clock, in milliseconds (tests move it).
  now?: () => number;
  // Only for tests: a signed GET /__exports answers how many times exportRun was called.
  exposeCounter?: boolean;
}

export const DEFAULT_MAX_KEYS = 10_000;
export const DEFAULT_MAX_AGE_MS = 24 * 60 * 60 * 1000;
export const MIN_SECRET_BYTES = 24; // the Standard Webhooks spec: 24 to 64 random bytes
const MAX_BODY_BYTES = 64 * 1024;
const MAX_KEY_LENGTH = 500;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json" },
  });
}

// The verifier for `secret`, or a sentence saying what is wrong with it.
export function verifier(secret: string): Webhook | string {
  const problem =
    `WEBHOOK_SECRET must be "whsec_" followed by the base64 of at least ${MIN_SECRET_BYTES} random bytes`;
  if (!secret.startsWith("whsec_")) return problem;
  let key: Uint8Array;
  try {
    key = Uint8Array.from(
      atob(secret.slice("whsec_".length)),
      (c) => c.charCodeAt(0),
    );
  } catch {
    return problem;
  }
  if (key.length < MIN_SECRET_BYTES) return problem;
  try {
    return new Webhook(secret);
  } catch {
    return problem;
  }
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

// What a key is bound to: the org, the type and the period (as an instant, so
// "…T12:00:00Z" and "…T12:00:00+00:00" are the same period).
function triple(run: SyncRequest): string {
  const period = run.scheduled_for === null
    ? "none"
    : String(Date.parse(run.scheduled_for));
  return JSON.stringify([run.org_id, run.integration_type, period]);
}

interface Remembered {
  triple: string;
  result: Promise<SyncResult>;
  since: number; // when the first call came
}

// Idempotency-Key → its triple and the first call's result (a pending promise while the
// export runs, so a concurrent repeat waits for it instead of exporting again). At most
// `maxKeys` entries, each for at most `maxAgeMs`; a Map keeps insertion order, and every
// use moves the key to the end, so the first key is the least recently used.
export class KeyMemory {
  readonly #entries = new Map<string, Remembered>();
  constructor(
    readonly maxKeys: number,
    readonly maxAgeMs: number,
    readonly now: () => number,
  ) {
    if (!(maxKeys >= 1) || !(maxAgeMs > 0)) {
      throw new Error("maxKeys must be at least 1 and maxAgeMs positive");
    }
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: string): Remembered | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    this.#entries.delete(key);
    if (this.now() - entry.since >= this.maxAgeMs) return undefined; // too old
    this.#entries.set(key, entry);
    return entry;
  }

  set(key: string, entry: Remembered): void {
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    for (const [oldest] of this.#entries) {
      if (this.#entries.size <= this.maxKeys) break;
      this.#entries.delete(oldest);
    }
  }

  // Forgets `key` if it still holds `entry` (a failed export may be retried).
  forget(key: string, entry: Remembered): void {
    if (this.#entries.get(key) === entry) this.#entries.delete(key);
  }
}

// The body as text, or null when it is longer than `limit` bytes.
async function readBody(req: Request, limit: number): Promise<string | null> {
  if (req.body === null) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return new TextDecoder().decode(bytes);
}

export function createHandler(
  options: HandlerOptions,
): (req: Request) => Promise<Response> {
  const webhook = verifier(options.secret);
  if (typeof webhook === "string") console.error(webhook);
  const memory = new KeyMemory(
    options.maxKeys ?? DEFAULT_MAX_KEYS,
    options.maxAgeMs ?? DEFAULT_MAX_AGE_MS,
    options.now ?? Date.now,
  );
  let exports = 0;

  return async (req: Request): Promise<Response> => {
    if (typeof webhook === "string") {
      return json(500, {
        error: "the function's WEBHOOK_SECRET is not set up",
      });
    }
    const payload = await readBody(req, MAX_BODY_BYTES);
    if (payload === null) return json(413, { error: "the body is too large" });

    let body: unknown;
    try {
      body = webhook.verify(payload, {
        "webhook-id": req.headers.get("webhook-id") ?? "",
        "webhook-timestamp": req.headers.get("webhook-timestamp") ?? "",
        "webhook-signature": req.headers.get("webhook-signature") ?? "",
      });
    } catch (err) {
      if (err instanceof SyntaxError) {
        return json(400, { error: "the body is not JSON" }); // signed, but not JSON
      }
      // WebhookVerificationError: missing headers, no matching signature, a timestamp
      // more than 5 minutes away from now. Anything else is refused as well.
      const reason = err instanceof WebhookVerificationError
        ? err.message
        : "verification failed";
      return json(401, { error: `invalid signature: ${reason}` });
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
    const run = validate(body);
    if (typeof run === "string") return json(400, { error: run });

    const key = req.headers.get("webhook-id") ?? "";
    if (key.length > MAX_KEY_LENGTH) {
      return json(400, { error: "webhook-id is too long" });
    }
    const header = req.headers.get("Idempotency-Key");
    if (header !== null && header !== key) {
      return json(400, { error: "Idempotency-Key must equal webhook-id" });
    }
    if (key !== (run.idempotency_key ?? run.run_id)) {
      return json(400, {
        error:
          "webhook-id must be the body's idempotency_key (else its run_id)",
      });
    }

    const bound = triple(run);
    let entry = memory.get(key);
    if (entry !== undefined && entry.triple !== bound) {
      return json(409, {
        error:
          "this Idempotency-Key was used for another (org_id, integration_type, scheduled_for)",
      });
    }
    if (entry === undefined) {
      exports++;
      entry = {
        triple: bound,
        result: (async () => await options.exportRun(run))(),
        since: memory.now(),
      };
      memory.set(key, entry);
    }
    try {
      const { records_processed, records_failed } = await entry.result;
      return json(200, { records_processed, records_failed });
    } catch (err) {
      memory.forget(key, entry); // a failed export may be retried with the same key
      console.error(`exportRun failed for run ${run.run_id}:`, err);
      return json(500, { error: "export failed" });
    }
  };
}
