'use strict';
// The lab's MatrixRTC stand-ins: an authorization service that verifies OpenID tokens over federation (through the
// lab DNS and TLS) and mints LiveKit tokens with livekit-server-sdk, and an SFU that checks them with its own key and
// secret. Started by tests/MatrixTester.Lab/Rtc/LabRtcService.cs; see README.md beside this file.
const fs = require('node:fs');
const https = require('node:https');
const { parse } = require('./lib/options');
const { log } = require('../lab-peer/lib/log');
const outbound = require('../lab-peer/lib/outbound');

let options;
try {
  options = parse(process.argv.slice(2), process.env);
} catch (error) {
  process.stderr.write(`lab-rtc: ${error.message}\n`);
  process.exit(2);
}

// The egress-blocked fault is the lab peer's outbound-blocked: every outbound connection refused at once.
outbound.install({ ...options, faults: new Set(options.faults.has('egress-blocked') ? ['outbound-blocked'] : []) });
const service = require('./lib/service');
const sfu = require('./lib/sfu');

function serve(name, certPath, keyPath, handler, endpoint) {
  return new Promise((resolve) => {
    const server = https.createServer({ cert: fs.readFileSync(certPath), key: fs.readFileSync(keyPath), requestTimeout: 30000, headersTimeout: 10000 },
      (request, response) => handler(options, request, response).catch((error) => {
        log('error', { service: name, error: error.stack || String(error) });
        if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'application/json' });
        response.end(JSON.stringify({ errcode: 'M_UNKNOWN', error: 'Internal Server Error' }));
      }));
    server.on('error', (error) => {
      process.stderr.write(`lab-rtc (${name}): ${error.message}\n`);
      process.exit(1);
    });
    server.listen(endpoint.port, endpoint.host, resolve);
  });
}

Promise.all([
  serve('auth', options.certPath, options.keyPath, service.handle, options.service),
  serve('sfu', options.sfuCertPath, options.sfuKeyPath, sfu.handle, options.sfu),
]).then(() => log('listening', { service: options.service, sfu: options.sfu, sfuUrl: options.sfuUrl, faults: [...options.faults] }));

// The launcher closes our stdin when it goes away (even when it is killed), so the stand-ins never outlive the test run.
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
process.on('SIGTERM', () => process.exit(0));
