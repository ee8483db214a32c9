'use strict';
// X-Matrix verification by @rocket.chat/federation-sdk, an implementation independent of MatrixTester's C# code:
// it resolves the origin with its own resolver (well-known, _matrix-fed SRV, :8448), fetches the origin's keys over
// HTTPS and checks the signature over its own canonical JSON.
//
// The SDK normally keeps everything in MongoDB (init({dbConfig})). Verification needs only its key cache, the
// ServerRepository, which tsyringe injects with the string token "ServerCollection" and which calls findOne({name})
// and findOneAndUpdate({name}, {$set: {"keys.<keyId>": {key, validUntil}}}, {upsert: true}). The SDK resolves its
// services lazily (delay() proxies), so registering an in-memory collection under that token before the first
// verification is enough; init() and MongoDB are never used.
// The SDK first: it loads reflect-metadata, which tsyringe needs before it is loaded.
const { federationSDK } = require('@rocket.chat/federation-sdk');
const { container } = require('tsyringe');
const { AsyncLocalStorage } = require('node:async_hooks');
const { log, reasonOf } = require('./log');

// The key id a key fetch is for, carried through the SDK's awaits to the fetch() below.
const requestedKey = new AsyncLocalStorage();

/**
 * The SDK 0.8.0 checks a key response with only the FIRST signature the origin put on it, against the REQUESTED
 * key (fetchKeys in its dist: `let [sig] = getSignatures(response, origin)`). Synapse checks every signature of a
 * listed key and needs one. A server signing with several keys (the tester: its long-term key and a probe key)
 * would then fail whenever the requested key's signature is not first. JSON member order means nothing (canonical
 * JSON sorts it), so the peer moves the requested key's signature to the front and leaves the checking to the SDK.
 */
function orderSignatures() {
  const original = globalThis.fetch;
  globalThis.fetch = async (input, init) => {
    const response = await original(input, init);
    const keyId = requestedKey.getStore();
    const url = new URL(typeof input === 'string' ? input : input.url);
    if (!keyId || !response.ok || !url.pathname.startsWith('/_matrix/key/v2/server')) return response;
    const text = await response.text();
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    let moved = false;
    for (const [entity, signatures] of Object.entries(body?.signatures || {})) {
      if (signatures && typeof signatures === 'object' && keyId in signatures && Object.keys(signatures)[0] !== keyId) {
        body.signatures[entity] = { [keyId]: signatures[keyId], ...signatures };
        moved = true;
      }
    }
    if (moved) log('signature_order', { url: url.toString(), keyId });
    return new Response(moved ? JSON.stringify(body) : text, {
      status: response.status,
      headers: { 'Content-Type': response.headers.get('content-type') || 'application/json' },
    });
  };
}

/** The SDK's key cache, in memory. Keys past their valid_until_ts count as absent, so they are fetched again. */
class MemoryServerCollection {
  constructor() { this.servers = new Map(); }

  async findOne(filter) {
    const server = this.servers.get(filter.name);
    if (!server) return null;
    const keys = Object.fromEntries(Object.entries(server.keys).filter(([, k]) => !k.validUntil || k.validUntil > Date.now()));
    return { name: filter.name, keys };
  }

  async findOneAndUpdate(filter, update) {
    const server = this.servers.get(filter.name) || { name: filter.name, keys: {} };
    for (const [path, value] of Object.entries(update.$set || {})) {
      if (!path.startsWith('keys.')) throw new Error(`MemoryServerCollection: unsupported update of ${path}`);
      server.keys[path.slice('keys.'.length)] = value;
    }
    this.servers.set(filter.name, server);
    return server;
  }
}

function configure(options) {
  const cache = new MemoryServerCollection();
  container.register('ServerCollection', { useValue: cache });
  orderSignatures();
  federationSDK.setConfig({
    instanceId: 'lab-peer',
    serverName: options.serverName,
    port: options.port,
    version: '0.8.0',
    matrixDomain: options.serverName,
    keyRefreshInterval: 60,
    signingKey: `ed25519 ${options.keyId.split(':')[1]} ${options.seed}`,
    signingKeyPath: '/dev/null',
    media: { maxFileSize: 1, allowedMimeTypes: [], enableThumbnails: false, rateLimits: { uploadPerMinute: 1, downloadPerMinute: 1 } },
    invite: { allowedEncryptedRooms: false, allowedNonPrivateRooms: false },
    edu: { processTyping: false, processPresence: false },
  });
  return cache;
}

const withTimeout = (promise, ms, what) => Promise.race([
  promise,
  new Promise((_, reject) => setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms).unref()),
]);

/**
 * Verifies one request as a homeserver would. Returns {ok, origin, reason}. The SDK's verifyRequestSignature only
 * answers "origin" or undefined; to say why a request failed, the key is first fetched through the SDK's own
 * ServerService (the same call verifyRequestSignature makes, which then finds it in the cache).
 */
async function verify(options, authorization, method, uri, body) {
  const params = Object.fromEntries([...authorization.matchAll(/\b(origin|destination|key|sig)="([^"]*)"/g)].map(([, k, v]) => [k, v]));
  const base = { method, uri, origin: params.origin, keyId: params.key, destination: params.destination };
  if (!authorization.startsWith('X-Matrix ') || !params.origin || !params.key || !params.sig) {
    return result(base, false, 'The Authorization header is not a complete X-Matrix header');
  }
  if (params.destination && params.destination !== options.serverName) {
    return result(base, false, `The request is addressed to ${params.destination}, not ${options.serverName}`);
  }
  const started = Date.now();
  const cached = await container.resolve('ServerCollection').findOne({ name: params.origin });
  const fromCache = Boolean(cached?.keys?.[params.key]);
  try {
    const fetching = requestedKey.run(params.key, () => federationSDK.serverService.getPublicKey(params.origin, params.key));
    await withTimeout(fetching, options.timeoutMs, 'Fetching the key');
    log('key_fetch', { server: params.origin, keyId: params.key, ok: true, cached: fromCache, ms: Date.now() - started });
  } catch (error) {
    const reason = `Could not fetch the key ${params.key} of ${params.origin}: ${reasonOf(error)}`;
    log('key_fetch', { server: params.origin, keyId: params.key, ok: false, cached: false, error: reasonOf(error), ms: Date.now() - started });
    return result(base, false, reason);
  }
  let origin;
  try {
    origin = await withTimeout(federationSDK.verifyRequestSignature(authorization, method, uri, body), options.timeoutMs, 'Verifying');
  } catch (error) {
    return result(base, false, reasonOf(error));
  }
  return origin
    ? result(base, true, undefined)
    : result(base, false, `Invalid signature from ${params.origin} for ${method} ${uri}`);
}

function result(base, ok, reason) {
  log('verify', { ...base, result: ok ? 'valid' : 'invalid', reason });
  return { ok, reason };
}

module.exports = { configure, verify };
