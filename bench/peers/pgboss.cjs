'use strict';
// pg-boss 10 as a team would run it: one process, `concurrency` workers on the queue
// `bench` (pg-boss 10's way to run jobs concurrently: one `work()` per slot, each fetching
// one job at a time), polling every 0.5 s (the least pg-boss allows; pg-boss has no
// LISTEN/NOTIFY), a pool of concurrency + 2 connections. Argument: one JSON object
// {connectionString, concurrency, url}. Prints READY once the workers are polling; ends
// on SIGTERM after a graceful stop.
const PgBoss = require('pg-boss');
const { parseArgs, call } = require('./common.cjs');

const QUEUE = 'bench';

async function main () {
  const args = parseArgs();
  const boss = new PgBoss({ connectionString: args.connectionString, max: args.concurrency + 2 });
  boss.on('error', (err) => console.error(err));
  await boss.start();
  if (!(await boss.getQueue(QUEUE))) {
    await boss.createQueue(QUEUE);
  }
  for (let i = 0; i < args.concurrency; i++) {
    await boss.work(QUEUE, { pollingIntervalSeconds: 0.5, batchSize: 1 },
      async ([job]) => call(args.url, job.data, job.id));
  }
  console.log('READY');
  process.on('SIGTERM', () => {
    boss.stop({ graceful: true, wait: true, timeout: 5000 })
      .finally(() => process.exit(0));
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
