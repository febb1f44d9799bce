#!/usr/bin/env node
// Drives the official HighLevel npm SDK (@gohighlevel/api-client) against an ordergate server.
//
// Input: one JSON job, as the first argument or on stdin:
//   {
//     "baseUrl": "http://127.0.0.1:8000",
//     "token": "pit-...",
//     "apiVersion": "2021-07-28",              // optional; the SDK's default is 2023-02-21
//     "calls": [
//       {"method": "listOrders", "params": {"altId": "...", "limit": 20}},
//       {"method": "getOrderById", "params": {"orderId": "...", "altId": "..."}},
//       {"method": "sentRequests"}            // pseudo-call: what the SDK put on the wire so far
//     ]
//   }
// A call may name another service ("service": "payments" is the default) and pass axios `options`.
// A call with a "body" is made as `method(params, body, options)`, the signature of the SDK's write methods
// (`recordOrderPayment({orderId}, body)`, `createOrderFulfillment({orderId}, body)`); without one, as
// `method(params, options)`. Each sentRequests entry also carries the JSON `body` the SDK sent (or null).
//
// Output: one JSON line per call, in order: the data the SDK returned, or for a thrown error
// {"error": {"name", "code", "statusCode", "message", "response"}}. The exit status is 0 whenever the
// job itself could be run (failed calls are results), 2 for a malformed job.
'use strict';

const { HighLevel } = require('@gohighlevel/api-client');
const { readJob, answer } = require('../harness');

function describeError(err) {
  return {
    error: {
      name: err && err.constructor ? err.constructor.name : typeof err,
      code: err && err.code !== undefined ? err.code : null,
      statusCode: err && err.statusCode !== undefined ? err.statusCode : null,
      message: err && err.message !== undefined ? String(err.message) : String(err),
      response: err && err.response !== undefined ? err.response : null,
    },
  };
}

function headerValue(headers, name) {
  if (!headers) {
    return null;
  }
  const plain = typeof headers.toJSON === 'function' ? headers.toJSON() : headers;
  const wanted = name.toLowerCase();
  for (const key of Object.keys(plain)) {
    if (key.toLowerCase() === wanted) {
      return plain[key];
    }
  }
  return null;
}

function sentBody(data) {
  if (data === undefined || data === null || data === '') {
    return null;
  }
  if (typeof data !== 'string') {
    return data;
  }
  try {
    return JSON.parse(data);
  } catch (err) {
    return data;
  }
}

// One call: the data the SDK method returns (a promise), or the requests sent so far for `sentRequests`.
function runCall(ghl, sent, call) {
  if (call.method === 'sentRequests') {
    return sent.slice();
  }
  const service = ghl[call.service || 'payments'];
  const method = service && service[call.method];
  if (typeof method !== 'function') {
    return { error: { name: 'UnknownMethod', code: null, statusCode: null, message: `no such SDK method: ${call.method}`, response: null } };
  }
  const args = call.body === undefined
    ? [call.params || {}, call.options]
    : [call.params || {}, call.body, call.options];
  return method.apply(service, args);
}

async function main() {
  let job;
  try {
    job = JSON.parse(await readJob());
  } catch (err) {
    process.stderr.write(`client.js: the job is not valid JSON: ${err.message}\n`);
    return 2;
  }
  if (!job || typeof job.baseUrl !== 'string' || typeof job.token !== 'string' || !Array.isArray(job.calls)) {
    process.stderr.write('client.js: the job needs baseUrl (string), token (string) and calls (array)\n');
    return 2;
  }

  const config = { privateIntegrationToken: job.token, logLevel: 'none' };
  if (job.apiVersion) {
    config.apiVersion = job.apiVersion;
  }
  const ghl = new HighLevel(config);
  const http = ghl.getHttpClient();
  http.defaults.baseURL = job.baseUrl;

  // Registered after the SDK's own interceptors, so it sees the final request (Version header included).
  const sent = [];
  const record = (requestConfig) => {
    if (!requestConfig) {
      return;
    }
    sent.push({
      method: String(requestConfig.method || '').toUpperCase(),
      url: http.getUri(requestConfig),
      version: headerValue(requestConfig.headers, 'Version'),
      sdkVersion: headerValue(requestConfig.headers, 'x-sdk-version'),
      body: sentBody(requestConfig.data),
    });
  };
  http.interceptors.response.use(
    (response) => {
      record(response.config);
      return response;
    },
    (err) => {
      record(err && err.request);
      return Promise.reject(err);
    },
  );

  await answer(job.calls, (call) => runCall(ghl, sent, call), describeError);
  return 0;
}

main().then(
  (status) => {
    process.exitCode = status;
  },
  (err) => {
    process.stderr.write(`client.js: ${err && err.stack ? err.stack : err}\n`);
    process.exitCode = 1;
  },
);
