'use strict';
// The authorization service (lk-jwt-service's documented behaviour): POST /get_token (MSC4195) and the legacy
// POST /sfu/get verify the OpenID token over federation and answer {url, jwt}, a LiveKit access token minted with
// livekit-server-sdk; GET|HEAD /healthz; CORS on the token routes, OPTIONS 200, other methods 405.
const crypto = require('node:crypto');
const { AccessToken } = require('livekit-server-sdk');
const { lookupUserInfo } = require('./userinfo');
const { log, reasonOf } = require('../../lab-peer/lib/log');

const GET_TOKEN_FIELDS = { room_id: 1, slot_id: 1, openid_token: 1, member: 1, delay_id: 1, delay_timeout: 1, delay_cs_api_url: 1 };
const LEGACY_FIELDS = { room: 1, openid_token: 1, device_id: 1, delay_id: 1, delay_timeout: 1, delay_cs_api_url: 1 };

// lk-jwt-service's names: unpadded base64 of the SHA-256 of a JSON array of strings.
const hashed = (...parts) => crypto.createHash('sha256').update(JSON.stringify(parts)).digest('base64').replace(/=+$/, '');

function send(response, status, body) {
  response.writeHead(status, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify(body));
}

function readBody(request) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    request.on('data', (chunk) => {
      size += chunk.length;
      if (size > 64 * 1024) reject(new Error('body too large'));
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

async function handle(options, request, response) {
  const path = new URL(request.url, 'https://service').pathname;
  log('request', { service: 'auth', method: request.method, path });
  if (path === '/healthz') {
    response.writeHead(request.method === 'GET' || request.method === 'HEAD' ? 200 : 405);
    return response.end();
  }
  const legacy = path === '/sfu/get';
  if (!(legacy || (path === '/get_token' && !options.faults.has('no-get-token')))) {
    response.writeHead(404, { 'Content-Type': 'text/plain' });
    return response.end('404 page not found\n');
  }
  response.setHeader('Access-Control-Allow-Origin', '*');
  response.setHeader('Access-Control-Allow-Methods', 'POST');
  response.setHeader('Access-Control-Allow-Headers', 'Accept, Content-Type, Content-Length, Accept-Encoding, X-CSRF-Token');
  if (request.method === 'OPTIONS') return send(response, 200, {});
  if (request.method !== 'POST') {
    response.writeHead(405);
    return response.end();
  }
  let body;
  try {
    body = JSON.parse(await readBody(request));
    const known = legacy ? LEGACY_FIELDS : GET_TOKEN_FIELDS;
    if (typeof body !== 'object' || body === null || Object.keys(body).some((k) => !known[k])) throw new Error('unknown field');
  } catch {
    return send(response, 400, { errcode: 'M_NOT_JSON', error: 'Error reading request' });
  }
  const token = body.openid_token || {};
  const member = body.member || {};
  if (legacy ? !body.room : !body.room_id || !body.slot_id || !member.id || !member.claimed_user_id || !member.claimed_device_id) {
    return send(response, 400, { errcode: 'M_BAD_JSON', error: 'The request body is missing required fields' });
  }
  if (!token.access_token || !token.matrix_server_name) {
    return send(response, 400, { errcode: 'M_BAD_JSON', error: 'The request body `openid_token` is missing a `access_token` or `matrix_server_name`' });
  }
  let user;
  try {
    const verified = await lookupUserInfo(token.matrix_server_name, token.access_token, options.timeoutMs);
    user = verified.sub;
    log('userinfo', { server: token.matrix_server_name, host: verified.target.host, port: verified.target.port, ok: true, sub: user });
  } catch (error) {
    log('userinfo', { server: token.matrix_server_name, ok: false, error: reasonOf(error) });
    return send(response, 401, { errcode: 'M_UNAUTHORIZED', error: 'The request could not be authorised.' });
  }
  if (!legacy && member.claimed_user_id !== user) {
    return send(response, 401, { errcode: 'M_UNAUTHORIZED', error: 'The request could not be authorised.' });
  }
  const identity = legacy ? `${user}:${body.device_id}` : hashed(user, member.claimed_device_id, member.id);
  const room = legacy ? hashed(body.room, 'm.call#ROOM') : hashed(body.room_id, body.slot_id);
  const accessToken = new AccessToken(options.apiKey, options.apiSecret, { identity, ttl: '1h' });
  accessToken.addGrant({ roomJoin: true, roomCreate: false, canPublish: true, canSubscribe: true, canUpdateOwnMetadata: true, room });
  const jwt = await accessToken.toJwt();
  log('token', { endpoint: path, identity, room, user });
  return send(response, 200, { url: options.sfuUrl, jwt });
}

module.exports = { handle };
