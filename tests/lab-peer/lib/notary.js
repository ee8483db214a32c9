'use strict';
// The notary: fetches a server's keys DIRECTLY over HTTPS, resolving its name like a homeserver does (spec,
// "Resolving server names"), checks the server's own signature and adds ours. Our own code, not the SDK's: the SDK
// has no notary, and its key fetcher is not exported. Bounded: timeouts on every step, no redirects, 64 KiB bodies.
const https = require('node:https');
const net = require('node:net');
const dns = require('node:dns');
const { log, reasonOf } = require('./log');
const { selfSigned } = require('./signing');

const MAX_BODY = 64 * 1024;
const MAX_SERVERS = 10;

function get(host, port, servername, hostHeader, path, timeoutMs) {
  return new Promise((resolve, reject) => {
    const request = https.request({
      host, port, path, method: 'GET', servername: net.isIP(servername) ? undefined : servername,
      headers: { Host: hostHeader, 'User-Agent': 'LabPeer/1.0 (notary)' }, timeout: timeoutMs, agent: false,
      checkServerIdentity: (_, cert) => require('node:tls').checkServerIdentity(servername, cert),
    }, (response) => {
      const chunks = [];
      let size = 0;
      response.on('data', (chunk) => {
        size += chunk.length;
        if (size > MAX_BODY) request.destroy(new Error(`The response is larger than ${MAX_BODY} bytes`));
        else chunks.push(chunk);
      });
      response.on('end', () => resolve({ status: response.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error(`No answer from ${host}:${port} within ${timeoutMs} ms`)));
    request.on('error', reject);
    request.end();
  });
}

const splitHostPort = (value) => {
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(value);
  if (!match) throw new Error(`Invalid server name ${value}`);
  return { host: match[1].replace(/^\[|\]$/g, ''), port: match[2] ? Number(match[2]) : undefined };
};

async function srv(name) {
  const resolver = new dns.promises.Resolver();
  for (const prefix of ['_matrix-fed._tcp.', '_matrix._tcp.']) {
    const records = await resolver.resolveSrv(prefix + name).catch(() => []);
    if (records.length > 0) {
      records.sort((a, b) => a.priority - b.priority || b.weight - a.weight);
      return { host: records[0].name, port: records[0].port };
    }
  }
  return undefined;
}

/** Where to connect for serverName: {host, port, certName, hostHeader}. */
async function resolve(serverName, timeoutMs) {
  const { host, port } = splitHostPort(serverName);
  if (net.isIP(host) || port) {
    return { host, port: port || 8448, certName: host, hostHeader: serverName };
  }
  const delegated = await wellKnown(host, timeoutMs);
  if (delegated) {
    const d = splitHostPort(delegated);
    if (net.isIP(d.host) || d.port) return { host: d.host, port: d.port || 8448, certName: d.host, hostHeader: delegated };
    const record = await srv(d.host);
    return record ? { ...record, certName: d.host, hostHeader: d.host } : { host: d.host, port: 8448, certName: d.host, hostHeader: d.host };
  }
  const record = await srv(host);
  return record ? { ...record, certName: host, hostHeader: host } : { host, port: 8448, certName: host, hostHeader: host };
}

async function wellKnown(host, timeoutMs) {
  try {
    const response = await get(host, 443, host, host, '/.well-known/matrix/server', timeoutMs);
    const value = response.status === 200 ? JSON.parse(response.body)['m.server'] : undefined;
    return typeof value === 'string' && value ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The server's key response, our signature added; throws with the reason when it cannot be had. */
async function fetchKeys(options, key, serverName, keyId) {
  const started = Date.now();
  try {
    const target = await resolve(serverName, options.timeoutMs);
    const response = await get(target.host, target.port, target.certName, target.hostHeader, '/_matrix/key/v2/server', options.timeoutMs);
    if (response.status !== 200) throw new Error(`${serverName} answered ${response.status}`);
    const keys = JSON.parse(response.body);
    if (keys.server_name !== serverName) throw new Error(`The response is for ${keys.server_name}, not ${serverName}`);
    if (!selfSigned(keys, serverName)) throw new Error(`The response carries no valid signature of ${serverName}`);
    if (keyId && !keys.verify_keys?.[keyId] && !keys.old_verify_keys?.[keyId]) throw new Error(`${serverName} does not list ${keyId}`);
    log('notary_fetch', { server: serverName, keyId, ok: true, address: `${target.host}:${target.port}`, ms: Date.now() - started });
    return key.sign(keys, options.serverName);
  } catch (error) {
    log('notary_fetch', { server: serverName, keyId, ok: false, error: reasonOf(error), ms: Date.now() - started });
    return undefined;
  }
}

/** POST /_matrix/key/v2/query: {"server_keys": {name: {keyId: {}}}} → {"server_keys": [...]}; failures leave entries out. */
async function query(options, key, criteria) {
  const requests = [];
  // Bounded like a real notary: a handful of servers per query, the rest ignored.
  for (const [serverName, keyIds] of Object.entries(criteria || {}).slice(0, MAX_SERVERS)) {
    const ids = Object.keys(keyIds || {});
    requests.push(fetchKeys(options, key, serverName, ids.length === 1 ? ids[0] : undefined));
  }
  return { server_keys: (await Promise.all(requests)).filter(Boolean) };
}

module.exports = { query, fetchKeys };
