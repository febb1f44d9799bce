#!/usr/bin/env node
// Drives the official Elastic Path SDK (@elasticpath/js-sdk) against an ordergate server.
//
// Input: one JSON job, as the first argument or on stdin (read by ../harness.js):
//   {
//     "host": "127.0.0.1:8000",                 // the SDK builds http://<host>/oauth/access_token, /v2/...
//     "client_id": "...", "client_secret": "...", // no secret: the SDK uses the implicit grant
//     "calls": [
//       {"call": "Orders.All", "filter": {...}, "limit": 5, "offset": 10, "sort": "-created_at", "with": "items"},
//       {"call": "Orders.Get", "id": "...", "with": ["items"]},
//       {"call": "Orders.Items", "id": "..."},
//       {"call": "Orders.Update", "id": "...", "body": {"shipping": "fulfilled"}},
//       {"call": "Orders.anonymize", "body": {"order_ids": ["..."]}},
//       {"call": "Transactions.All", "order": "..."},
//       {"call": "Transactions.Get", "order": "...", "transaction": "..."},
//       {"call": "Authenticate"},
//       {"call": "forgetToken"},                 // pseudo-call: drop the stored credentials
//       {"call": "corruptToken"},                // pseudo-call: keep the credentials, spoil the token
//       {"call": "sent"}                         // pseudo-call: every request put on the wire so far
//     ]
//   }
// Output: one JSON line per call, in order: what the SDK's promise resolved to, or for a rejection
// {"error": <the rejection value>}. Exit 0 whenever the job ran (failed calls are results); 2 otherwise.
'use strict';

const { gateway, MemoryStorageFactory } = require('@elasticpath/js-sdk');
const { readJob, answer } = require('../harness');

function errorValue(err) {
  if (err instanceof Error) {
    return { message: err.message, name: err.name };
  }
  return err;
}

// The SDK's query builders are stateful: apply the optional parts of a call, in the SDK's own style.
function build(endpoint, call) {
  let chain = endpoint;
  if (call.filter !== undefined) chain = chain.Filter(call.filter);
  if (call.limit !== undefined) chain = chain.Limit(call.limit);
  if (call.offset !== undefined) chain = chain.Offset(call.offset);
  if (call.sort !== undefined) chain = chain.Sort(call.sort);
  if (call.with !== undefined) chain = chain.With(call.with);
  return chain;
}

async function run(ep, storage, sent, call) {
  switch (call.call) {
    case 'Authenticate':
      return ep.Authenticate();
    case 'Orders.All':
      return build(ep.Orders, call).All();
    case 'Orders.Get':
      return build(ep.Orders, call).Get(call.id);
    case 'Orders.Items':
      return ep.Orders.Items(call.id);
    case 'Orders.Update':
      return ep.Orders.Update(call.id, call.body);
    case 'Orders.anonymize':
      return ep.Orders.anonymize(call.body);
    case 'Transactions.All':
      return ep.Transactions.All({ order: call.order });
    case 'Transactions.Get':
      return ep.Transactions.Get({ order: call.order, transaction: call.transaction });
    case 'forgetToken':
      storage.delete('epCredentials');
      return null;
    case 'corruptToken': {
      const stored = JSON.parse(storage.get('epCredentials'));
      stored.access_token = '0'.repeat(40);
      storage.set('epCredentials', JSON.stringify(stored));
      return null;
    }
    case 'sent':
      return sent.slice();
    default:
      throw new Error(`unknown call ${call.call}`);
  }
}

async function main() {
  let job;
  try {
    job = JSON.parse(await readJob());
  } catch (err) {
    process.stderr.write(`malformed job: ${err.message}\n`);
    process.exit(2);
  }
  const sent = [];
  const recordingFetch = (url, options) => {
    sent.push({ method: (options && options.method) || 'GET', url: String(url) });
    return fetch(url, options);
  };
  const storage = new MemoryStorageFactory();
  const config = {
    client_id: job.client_id,
    host: job.host,
    protocol: 'http',
    storage,
    disableCart: true,
    custom_fetch: recordingFetch,
    retryDelay: 10,
    retryJitter: 1,
  };
  if (job.client_secret) config.client_secret = job.client_secret;
  const ep = gateway(config);
  // The SDK logs token checks with console.info; keep stdout for results only.
  console.info = () => {};
  await answer(job.calls, (call) => run(ep, storage, sent, call), (err) => ({ error: errorValue(err) }));
}

main().catch((err) => {
  process.stderr.write(`${err && err.stack ? err.stack : err}\n`);
  process.exit(2);
});
