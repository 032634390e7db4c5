// Tests of handler.ts: `deno test index.test.ts` (no permissions needed). Requests are
// signed with the Standard Webhooks reference library, as the worker and pg_net sign them.

import assert from "node:assert/strict";
import { Webhook } from "npm:standardwebhooks@1.3.0";
import {
  createHandler,
  type HandlerOptions,
  KeyMemory,
  type SyncRequest,
  type SyncResult,
} from "./handler.ts";

function newSecret(bytes = 32): string {
  const key = crypto.getRandomValues(new Uint8Array(bytes));
  return "whsec_" + btoa(String.fromCharCode(...key));
}

const SECRET = newSecret();
const URL_ = "http://127.0.0.1/integration-sync";

function run(overrides: Partial<SyncRequest> = {}): SyncRequest {
  return {
    run_id: crypto.randomUUID(),
    org_id: crypto.randomUUID(),
    integration_type: "xledger",
    triggered_by: "scheduler",
    scheduled_for: "2026-11-23T12:00:00+00:00",
    idempotency_key: `key-${crypto.randomUUID()}`,
    ...overrides,
  };
}

interface SignOptions {
  id?: string;
  secret?: string;
  at?: Date;
  method?: string;
  headers?: Record<string, string>;
}

// A request signed like the worker's: webhook-id = the idempotency key (else the run id).
function signed(body: unknown, options: SignOptions = {}): Request {
  const method = options.method ?? "POST";
  const payload = method === "POST" ? JSON.stringify(body) : "";
  const id = options.id ??
    (body as SyncRequest).idempotency_key ?? (body as SyncRequest).run_id;
  const at = options.at ?? new Date();
  const signature = new Webhook(options.secret ?? SECRET).sign(
    id,
    at,
    payload,
  );
  return new Request(URL_, {
    method,
    body: method === "POST" ? payload : undefined,
    headers: {
      "Content-Type": "application/json",
      "webhook-id": id,
      "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
      "webhook-signature": signature,
      ...(method === "POST" ? { "Idempotency-Key": id } : {}),
      ...options.headers,
    },
  });
}

function warmUp(run: SyncRequest, options: SignOptions = {}): Request {
  const id =
    `warmup:${run.org_id}:${run.integration_type}:2026-11-23T12:00:00Z`;
  return signed(null, { id, method: "GET", ...options });
}

// A handler whose exportRun counts its calls and reports the count as records_processed,
// so "the first result" and "exported again" can be told apart.
function counting(options: Partial<HandlerOptions> = {}) {
  const calls: SyncRequest[] = [];
  const handler = createHandler({
    secret: SECRET,
    // deno-lint-ignore require-await
    exportRun: async (r: SyncRequest): Promise<SyncResult> => {
      calls.push(r);
      return { records_processed: calls.length, records_failed: 0 };
    },
    ...options,
  });
  return { handler, calls };
}

Deno.test("a signed sync call is exported and answered", async () => {
  const { handler, calls } = counting();
  const body = run();
  const reply = await handler(signed(body));
  assert.equal(reply.status, 200);
  assert.deepEqual(await reply.json(), {
    records_processed: 1,
    records_failed: 0,
  });
  assert.deepEqual(calls, [body]);
});

Deno.test("a manual run without idempotency key is keyed by its run id", async () => {
  const { handler, calls } = counting();
  const body = run({ triggered_by: "manual", idempotency_key: null });
  assert.equal((await handler(signed(body))).status, 200);
  assert.equal((await handler(signed(body))).status, 200);
  assert.equal(calls.length, 1);
});

Deno.test("a bad signature gets 401 and exports nothing", async () => {
  const { handler, calls } = counting();
  const body = run();
  const cases: Request[] = [
    signed(body, { secret: newSecret() }), // another secret
    signed(body, { headers: { "webhook-signature": "v1,AAAA" } }),
    signed(body, { headers: { "webhook-id": "another-id" } }),
    new Request(URL_, { method: "POST", body: JSON.stringify(body) }),
    // a bearer token (the gateway's key, or any other) is no credential here
    new Request(URL_, {
      method: "POST",
      body: JSON.stringify(body),
      headers: { Authorization: "Bearer eyJhbGciOiJIUzI1NiJ9.e30.x" },
    }),
  ];
  // the signature of one body does not carry over to another
  const other = signed(run());
  cases.push(
    new Request(URL_, {
      method: "POST",
      body: JSON.stringify(body),
      headers: other.headers,
    }),
  );
  for (const request of cases) {
    const reply = await handler(request);
    assert.equal(reply.status, 401);
    assert.match((await reply.json()).error, /invalid signature/);
  }
  assert.equal(calls.length, 0);
});

Deno.test("a timestamp more than 5 minutes old or ahead gets 401", async () => {
  const { handler, calls } = counting();
  const minutes = (n: number) => new Date(Date.now() + n * 60_000);
  for (const at of [minutes(-6), minutes(6), minutes(-60 * 24)]) {
    const reply = await handler(signed(run(), { at }));
    assert.equal(reply.status, 401);
    assert.match((await reply.json()).error, /timestamp/);
  }
  assert.equal(calls.length, 0);
  // well inside the window either way: accepted
  for (const at of [minutes(-4), minutes(4)]) {
    assert.equal((await handler(signed(run(), { at }))).status, 200);
  }
  assert.equal(calls.length, 2);
});

Deno.test("a replay with the same triple answers the first result", async () => {
  const { handler, calls } = counting();
  const body = run();
  const first = await (await handler(signed(body))).json();
  // a retry of the period: a new attempt (run id), the same key, org, type and period,
  // the period written another way
  const retry = {
    ...body,
    run_id: crypto.randomUUID(),
    scheduled_for: "2026-11-23T12:00:00Z",
  };
  const again = await handler(signed(retry));
  assert.equal(again.status, 200);
  assert.deepEqual(await again.json(), first);
  assert.equal(calls.length, 1);
});

Deno.test("concurrent repeats of a key export once", async () => {
  let release = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  let count = 0;
  const handler = createHandler({
    secret: SECRET,
    exportRun: async () => {
      count++;
      await gate;
      return { records_processed: 7, records_failed: 1 };
    },
  });
  const body = run();
  const replies = [handler(signed(body)), handler(signed(body))];
  await new Promise((resolve) => setTimeout(resolve, 0));
  release();
  for (const reply of await Promise.all(replies)) {
    assert.equal(reply.status, 200);
    assert.deepEqual(await reply.json(), {
      records_processed: 7,
      records_failed: 1,
    });
  }
  assert.equal(count, 1);
});

Deno.test("the same key with another triple gets 409 and exports nothing", async () => {
  const { handler, calls } = counting();
  const body = run();
  assert.equal((await handler(signed(body))).status, 200);
  for (
    const other of [
      { ...body, org_id: crypto.randomUUID() },
      { ...body, integration_type: "dynamics" },
      { ...body, scheduled_for: "2026-11-23T13:00:00+00:00" },
      { ...body, scheduled_for: null },
    ]
  ) {
    const reply = await handler(signed(other));
    assert.equal(reply.status, 409);
    assert.match((await reply.json()).error, /another/);
  }
  assert.equal(calls.length, 1);
  // the key keeps its first binding
  assert.equal((await handler(signed(body))).status, 200);
  assert.equal(calls.length, 1);
});

Deno.test("keys that disagree with webhook-id get 400", async () => {
  const { handler, calls } = counting();
  const body = run();
  const mismatched = signed(body, { headers: { "Idempotency-Key": "other" } });
  assert.equal((await handler(mismatched)).status, 400);
  const id = signed(body, { id: "not-the-body-key" });
  assert.equal((await handler(id)).status, 400);
  assert.equal(calls.length, 0);
});

Deno.test("a signed warm-up answers 204 and exports nothing", async () => {
  const { handler, calls } = counting();
  const reply = await handler(warmUp(run()));
  assert.equal(reply.status, 204);
  assert.equal(await reply.text(), "");
  const unsigned = await handler(new Request(URL_, { method: "GET" }));
  assert.equal(unsigned.status, 401);
  const wrong = await handler(warmUp(run(), { secret: newSecret() }));
  assert.equal(wrong.status, 401);
  const stale = await handler(
    warmUp(run(), { at: new Date(Date.now() - 10 * 60_000) }),
  );
  assert.equal(stale.status, 401);
  assert.equal(calls.length, 0);
});

Deno.test("invalid bodies get 400 and export nothing", async () => {
  const { handler, calls } = counting();
  const bodies: unknown[] = [
    [],
    { ...run(), run_id: "not-a-uuid" },
    { ...run(), org_id: null },
    { ...run(), integration_type: "" },
    { ...run(), triggered_by: "cron" },
    { ...run(), scheduled_for: "yesterday" },
  ];
  for (const body of bodies) {
    const reply = await handler(signed(body, { id: "some-key" }));
    assert.equal(reply.status, 400);
  }
  assert.equal(calls.length, 0);
});

Deno.test("a failed export is forgotten, so a retry exports again", async () => {
  let attempts = 0;
  const handler = createHandler({
    secret: SECRET,
    // deno-lint-ignore require-await
    exportRun: async () => {
      attempts++;
      if (attempts === 1) throw new Error("the vendor is down");
      return { records_processed: 3, records_failed: 0 };
    },
  });
  const body = run();
  const original = console.error;
  console.error = () => {};
  try {
    assert.equal((await handler(signed(body))).status, 500);
  } finally {
    console.error = original;
  }
  const retry = await handler(signed({ ...body, run_id: crypto.randomUUID() }));
  assert.equal(retry.status, 200);
  assert.deepEqual(await retry.json(), {
    records_processed: 3,
    records_failed: 0,
  });
  assert.equal(attempts, 2);
});

Deno.test("memory is bounded: least recently used keys go first", async () => {
  const { handler, calls } = counting({ maxKeys: 2 });
  const [a, b, c] = [run(), run(), run()];
  await handler(signed(a));
  await handler(signed(b));
  await handler(signed(a)); // a is now the most recently used
  assert.equal(calls.length, 2);
  await handler(signed(c)); // evicts b
  await handler(signed(a));
  assert.equal(calls.length, 3);
  await handler(signed(b)); // b was forgotten: exported again
  assert.equal(calls.length, 4);
});

Deno.test("memory is bounded: keys older than maxAgeMs are forgotten", async () => {
  let now = 1_000_000;
  const { handler, calls } = counting({ maxAgeMs: 60_000, now: () => now });
  const body = run();
  await handler(signed(body));
  now += 59_999;
  await handler(signed(body));
  assert.equal(calls.length, 1);
  now += 1;
  await handler(signed(body));
  assert.equal(calls.length, 2);
});

Deno.test("KeyMemory never holds more than maxKeys", () => {
  const memory = new KeyMemory(3, 60_000, () => 0);
  const result = Promise.resolve({ records_processed: 0, records_failed: 0 });
  for (let i = 0; i < 100; i++) {
    memory.set(`k${i}`, { triple: "t", result, since: 0 });
  }
  assert.equal(memory.size, 3);
  assert.equal(memory.get("k96"), undefined);
  assert.notEqual(memory.get("k97"), undefined);
});

Deno.test("a missing or malformed WEBHOOK_SECRET answers 500", async () => {
  const original = console.error;
  console.error = () => {};
  try {
    for (const secret of ["", "not-whsec", "whsec_%%%", newSecret(8)]) {
      const { handler, calls } = counting({ secret });
      const reply = await handler(signed(run()));
      assert.equal(reply.status, 500);
      assert.equal((await handler(warmUp(run()))).status, 500);
      assert.equal(calls.length, 0);
    }
  } finally {
    console.error = original;
  }
});
