'use strict';
// One JSON object per line on stdout: the C# launcher (LabFederationPeer.Log) parses every line that has "event".
// The SDK's own pino lines also go to stdout; they have "msg" and no "event", so they stay apart.
function log(event, fields = {}) {
  process.stdout.write(JSON.stringify({ event, at: new Date().toISOString(), ...fields }) + '\n');
}

/** A short reason for an error, with the socket-level cause fetch() hides ("fetch failed: ECONNREFUSED ..."). */
function reasonOf(error) {
  if (!error) return 'unknown error';
  const message = error.message || String(error);
  const cause = error.cause;
  if (!cause) return message;
  const detail = cause.code && !String(cause.message).includes(cause.code) ? `${cause.code} ${cause.message}` : cause.message;
  return `${message}: ${detail}`;
}

module.exports = { log, reasonOf };
