'use strict';
// Verifies an OpenID token the way lk-jwt-service does (through gomatrixserverlib's LookupUserInfo): resolve
// matrix_server_name as a Matrix server (IP literal or explicit port; else /.well-known/matrix/server; else the
// _matrix-fed._tcp SRV record; else port 8448), call GET /_matrix/federation/v1/openid/userinfo?access_token=… over
// HTTPS (trusting NODE_EXTRA_CA_CERTS, the lab root), and accept only {"sub": "@user:<matrix_server_name>"}.
const https = require('node:https');
const net = require('node:net');
const dns = require('node:dns');

function get(url, { host, servername, timeoutMs }) {
  return new Promise((resolve, reject) => {
    const request = https.request(url, { method: 'GET', servername, headers: { Host: host, 'User-Agent': 'LabRtc/1.0 (lk-jwt-service stand-in)' }, timeout: timeoutMs }, (response) => {
      const chunks = [];
      let size = 0;
      response.on('data', (chunk) => {
        size += chunk.length;
        if (size > 64 * 1024) request.destroy(new Error('response too large'));
        else chunks.push(chunk);
      });
      response.on('end', () => resolve({ status: response.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
    });
    request.on('timeout', () => request.destroy(new Error(`timed out after ${timeoutMs} ms`)));
    request.on('error', reject);
    request.end();
  });
}

function split(hostPort) {
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(hostPort);
  return match ? { host: match[1].replace(/^\[|\]$/g, ''), port: match[2] ? Number(match[2]) : undefined } : null;
}

async function resolveServer(serverName, timeoutMs) {
  const name = split(serverName);
  if (!name) throw new Error(`invalid server name ${serverName}`);
  if (net.isIP(name.host) || name.port) return { host: name.host, port: name.port ?? 8448, hostHeader: serverName, servername: name.host };
  try {
    const wellKnown = await get(`https://${name.host}/.well-known/matrix/server`, { host: name.host, servername: name.host, timeoutMs });
    const delegated = wellKnown.status === 200 ? split(String(JSON.parse(wellKnown.body)['m.server'] ?? '')) : null;
    if (delegated) {
      return { host: delegated.host, port: delegated.port ?? 8448, hostHeader: JSON.parse(wellKnown.body)['m.server'], servername: delegated.host };
    }
  } catch {
    // No usable well-known: go on to SRV, as a homeserver does.
  }
  const srv = await new dns.promises.Resolver().resolveSrv(`_matrix-fed._tcp.${name.host}`).catch(() => []);
  if (srv.length > 0) return { host: srv[0].name, port: srv[0].port, hostHeader: name.host, servername: name.host };
  return { host: name.host, port: 8448, hostHeader: name.host, servername: name.host };
}

/** The Matrix user id the token belongs to; throws with the reason when it cannot be verified. */
async function lookupUserInfo(serverName, accessToken, timeoutMs) {
  const target = await resolveServer(serverName, timeoutMs);
  const hostForUrl = net.isIPv6(target.host) ? `[${target.host}]` : target.host;
  const url = `https://${hostForUrl}:${target.port}/_matrix/federation/v1/openid/userinfo?access_token=${encodeURIComponent(accessToken)}`;
  const answer = await get(url, { host: target.hostHeader, servername: target.servername, timeoutMs });
  if (answer.status < 200 || answer.status >= 300) throw new Error(`HTTP ${answer.status} : ${answer.body.slice(0, 200)}`);
  const sub = JSON.parse(answer.body).sub;
  const parts = typeof sub === 'string' ? [sub.slice(0, sub.indexOf(':')), sub.slice(sub.indexOf(':') + 1)] : [];
  if (typeof sub !== 'string' || sub.indexOf(':') < 0 || parts[1] !== serverName) {
    throw new Error(`userID doesn't match server name '${sub}' != '${serverName}'`);
  }
  return { sub, target };
}

module.exports = { lookupUserInfo };
