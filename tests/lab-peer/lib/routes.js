'use strict';
// The federation endpoints of the peer, and the proxy faults that change what the "homeserver" behind it sees.
const { log } = require('./log');

const KEY_VALIDITY_MS = 60 * 60 * 1000;
const MAX_BODY = 64 * 1024;

function send(response, status, body) {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}

const unrecognized = (response) => send(response, 404, { errcode: 'M_UNRECOGNIZED', error: 'Unrecognized request' });

function readBody(request) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    request.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        request.destroy();
      } else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** What a proxy in front of the homeserver passes on: the request-target and headers the homeserver sees. */
function throughProxy(options, request) {
  let uri = request.url;
  const headers = { ...request.headers };
  if (options.faults.has('drops-authorization')) delete headers.authorization;
  if (options.faults.has('rewrites-path')) {
    // A proxy that passes on the normalised URI: percent-escapes decoded (%23 → #, %3A → :), as nginx does when
    // proxy_pass names a URI. A request-target without escapes has its path doubled ("//_matrix/...", a stray
    // trailing slash in proxy_pass) so that the fault always alters what was signed.
    const decoded = uri.replace(/%([0-9A-Fa-f]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
    uri = decoded !== uri ? decoded : `/${uri}`;
    log('rewrite', { from: request.url, to: uri });
  }
  return { uri, headers };
}

function ownKeys(options, key) {
  const body = {
    server_name: options.serverName,
    valid_until_ts: Date.now() + KEY_VALIDITY_MS,
    verify_keys: { [key.keyId]: { key: key.publicKeyBase64 } },
    old_verify_keys: {},
  };
  return key.sign(body, options.serverName);
}

async function directory(context, request, response) {
  const { options, verifier } = context;
  const seen = throughProxy(options, request);
  const authorization = seen.headers.authorization;
  if (!authorization) {
    log('verify', { method: request.method, uri: seen.uri, result: 'missing', reason: 'Missing Authorization headers' });
    return send(response, 401, { errcode: 'M_UNAUTHORIZED', error: 'Missing Authorization headers' });
  }
  const outcome = await verifier.verify(options, authorization, request.method, seen.uri, undefined);
  return outcome.ok
    ? send(response, 404, { errcode: 'M_NOT_FOUND', error: 'Room alias not found' })
    : send(response, 401, { errcode: 'M_UNAUTHORIZED', error: outcome.reason });
}

async function notaryRoute(context, request, response, path) {
  const { options, key, notary } = context;
  if (options.faults.has('no-notary')) {
    log('notary', { method: request.method, path, result: 'unsupported' });
    return unrecognized(response);
  }
  if (request.method === 'POST' && path === '/_matrix/key/v2/query') {
    let criteria;
    try {
      criteria = JSON.parse(await readBody(request)).server_keys;
    } catch {
      return send(response, 400, { errcode: 'M_NOT_JSON', error: 'Content not JSON.' });
    }
    if (!criteria || typeof criteria !== 'object') return send(response, 400, { errcode: 'M_BAD_JSON', error: 'server_keys missing' });
    const answer = await notary.query(options, key, criteria);
    log('notary', { method: 'POST', servers: Object.keys(criteria), returned: answer.server_keys.length });
    return send(response, 200, answer);
  }
  const match = /^\/_matrix\/key\/v2\/query\/([^/]+)(?:\/([^/]+))?$/.exec(path);
  if (request.method === 'GET' && match) {
    const [serverName, keyId] = [decodeURIComponent(match[1]), match[2] && decodeURIComponent(match[2])];
    const answer = await notary.query(options, key, { [serverName]: keyId ? { [keyId]: {} } : {} });
    log('notary', { method: 'GET', servers: [serverName], returned: answer.server_keys.length });
    return send(response, 200, answer);
  }
  return unrecognized(response);
}

async function route(context, request, response) {
  const { options, key } = context;
  const path = new URL(request.url, 'https://peer').pathname;
  log('request', { method: request.method, path, host: request.headers.host, remote: request.socket.remoteAddress,
    hasAuthorization: Boolean(request.headers.authorization) });
  if (request.method === 'GET' && (path === '/_matrix/key/v2/server' || path.startsWith('/_matrix/key/v2/server/'))) {
    return send(response, 200, ownKeys(options, key));
  }
  if (request.method === 'GET' && path === '/_matrix/federation/v1/version') {
    return send(response, 200, { server: { name: 'LabPeer', version: '1.0.0 (federation-sdk 0.8.0)' } });
  }
  if (options.faults.has('stub')) {
    // Not a homeserver: the same answer to everything else, whatever its signature, and no key fetched.
    log('stub', { method: request.method, path, hasAuthorization: Boolean(request.headers.authorization) });
    return send(response, 404, { errcode: 'M_NOT_FOUND', error: 'Not found' });
  }
  if (request.method === 'GET' && path === '/_matrix/federation/v1/query/directory') {
    return directory(context, request, response);
  }
  if (path.startsWith('/_matrix/key/v2/query')) {
    return notaryRoute(context, request, response, path);
  }
  return unrecognized(response);
}

module.exports = { route };
