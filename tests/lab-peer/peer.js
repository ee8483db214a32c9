'use strict';
// The lab peer: plays the TARGET of a two-way federation check, a homeserver-like process that verifies X-Matrix
// requests with @rocket.chat/federation-sdk (independent of MatrixTester's C# signing code) and runs a notary.
// Started by tests/MatrixTester.Lab/Peer/LabFederationPeer.cs; see README.md beside this file.
const fs = require('node:fs');
const https = require('node:https');
const { parse } = require('./lib/options');
const { log } = require('./lib/log');
const outbound = require('./lib/outbound');

let options;
try {
  options = parse(process.argv.slice(2), process.env);
} catch (error) {
  process.stderr.write(`lab-peer: ${error.message}\n`);
  process.exit(2);
}

// Before the SDK is loaded, so that every resolver and connection it makes is the lab's.
outbound.install(options);
const verifier = require('./lib/verifier');
const notary = require('./lib/notary');
const { SigningKey } = require('./lib/signing');
const { route } = require('./lib/routes');

const key = new SigningKey(options.seed, options.keyId);
verifier.configure(options);

const server = https.createServer({
  cert: fs.readFileSync(options.certPath),
  key: fs.readFileSync(options.keyPath),
  requestTimeout: 30000,
  headersTimeout: 10000,
}, (request, response) => {
  route({ options, key, verifier, notary }, request, response).catch((error) => {
    log('error', { path: request.url, error: error.stack || String(error) });
    if (!response.headersSent) {
      response.writeHead(500, { 'Content-Type': 'application/json' });
    }
    response.end(JSON.stringify({ errcode: 'M_UNKNOWN', error: 'Internal error' }));
  });
});

server.listen(options.port, options.host, () => {
  log('listening', { serverName: options.serverName, address: options.host, port: options.port, keyId: key.keyId,
    publicKey: key.publicKeyBase64, faults: [...options.faults] });
});
server.on('error', (error) => {
  process.stderr.write(`lab-peer: ${error.message}\n`);
  process.exit(1);
});

// The launcher closes our stdin when it goes away (even when it is killed), so the peer never outlives its test run.
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
process.on('SIGTERM', () => process.exit(0));
