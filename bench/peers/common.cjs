'use strict';
// What every Node.js peer shares: its arguments, and the job's HTTP call.
//
// The call is the one our worker makes for a run (DESIGN §11): one POST with a JSON body
// and the same headers, through Node's own fetch (keep-alive pool), the answer read and
// parsed as JSON; a non-2xx answer fails the job.

function parseArgs () {
  const args = JSON.parse(process.argv[2]);
  for (const key of ['connectionString', 'concurrency', 'url']) {
    if (args[key] === undefined) throw new Error(`missing argument ${key}`);
  }
  return args;
}

async function call (url, payload, id) {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      authorization: 'Bearer bench-key',
      'idempotency-key': String(id)
    },
    body: JSON.stringify({ ...payload, job_id: String(id) })
  });
  const body = await res.text();
  if (res.status < 200 || res.status >= 300) {
    throw new Error(`HTTP ${res.status}`);
  }
  JSON.parse(body);
}

module.exports = { parseArgs, call };
