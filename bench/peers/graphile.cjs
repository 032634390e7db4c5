'use strict';
// graphile-worker as a team would run it: one process, `concurrency` jobs at once, a pool
// of concurrency + 2 connections, LISTEN/NOTIFY for new jobs (graphile-worker's defaults
// otherwise). Argument: one JSON object {connectionString, concurrency, url}. Prints READY
// once it is connected and waiting for jobs; ends on SIGTERM (graphile-worker's own
// graceful shutdown).
const { run } = require('graphile-worker');
const { parseArgs, call } = require('./common.cjs');

async function main () {
  const args = parseArgs();
  const runner = await run({
    connectionString: args.connectionString,
    concurrency: args.concurrency,
    maxPoolSize: args.concurrency + 2,
    taskList: {
      bench: async (payload, helpers) => call(args.url, payload, helpers.job.id)
    }
  });
  console.log('READY');
  await runner.promise;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
