'use strict';
// The SFU's token check (LiveKit's GET /rtc/validate): the token must verify with the SFU's own API key and secret
// (401 "invalid API key" / "invalid authorization token" otherwise); with room auto-creation off, a token that may
// not create rooms gets 404 "requested room does not exist" for a room nobody created (its signature did verify).
const { TokenVerifier } = require('livekit-server-sdk');
const { log, reasonOf } = require('../../lab-peer/lib/log');

async function handle(options, request, response) {
  const url = new URL(request.url, 'https://sfu');
  log('request', { service: 'sfu', method: request.method, path: url.pathname });
  response.setHeader('Content-Type', 'text/plain');
  if (url.pathname === '/') {
    response.writeHead(200);
    return response.end('OK');
  }
  if (url.pathname !== '/rtc/validate') {
    response.writeHead(404);
    return response.end('404 page not found\n');
  }
  response.setHeader('Access-Control-Allow-Origin', '*');
  const token = url.searchParams.get('access_token') || '';
  let claims;
  try {
    claims = await new TokenVerifier(options.apiKey, options.sfuSecret).verify(token);
  } catch (error) {
    const message = /issuer|iss/.test(String(error && error.message)) ? 'invalid API key' : `invalid authorization token: ${reasonOf(error)}`;
    log('validate', { status: 401, reason: message });
    response.writeHead(401);
    return response.end(message);
  }
  const video = claims.video || {};
  if (!video.roomJoin || !video.room) {
    log('validate', { status: 401, reason: 'permissions denied' });
    response.writeHead(401);
    return response.end('permissions denied');
  }
  if (!options.roomAutoCreate && !video.roomCreate) {
    log('validate', { status: 404, room: video.room });
    response.writeHead(404);
    return response.end('requested room does not exist');
  }
  log('validate', { status: 200, room: video.room, identity: claims.sub });
  response.writeHead(200);
  return response.end('success');
}

module.exports = { handle };
