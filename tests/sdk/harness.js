// What the SDK drivers under tests/sdk (js/client.js, ep/client.js) share: how a job comes in and how its
// calls are answered. Nothing here needs a package, so each driver keeps its own node_modules.
'use strict';

// The job's JSON text: the first argument, or else all of stdin.
function readJob() {
  if (process.argv.length > 2) {
    return Promise.resolve(process.argv[2]);
  }
  return new Promise((resolve, reject) => {
    const chunks = [];
    process.stdin.on('data', (chunk) => chunks.push(chunk));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', reject);
  });
}

// Runs the calls one after another and prints one JSON line per call, in order: what `run(call)` returned
// or resolved to (null for nothing), or `describe(err)` for what it threw or rejected with.
async function answer(calls, run, describe) {
  for (const call of calls) {
    let line;
    try {
      const result = await run(call);
      line = result === undefined ? null : result;
    } catch (err) {
      line = describe(err);
    }
    process.stdout.write(`${JSON.stringify(line)}\n`);
  }
}

module.exports = { readJob, answer };
