'use strict';
// Our own canonical JSON and Ed25519 signing (spec appendices, "Signing JSON"), for the peer's key response and
// the notary's co-signature. X-Matrix verification itself is the SDK's, not this file's.
const nacl = require('tweetnacl');

function canonical(value) {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
}

const unpadded = (bytes) => Buffer.from(bytes).toString('base64').replace(/=+$/, '');
const decode = (text) => new Uint8Array(Buffer.from(text, 'base64'));

function signingBytes(object) {
  const { signatures, unsigned, ...rest } = object;
  return Buffer.from(canonical(rest), 'utf8');
}

class SigningKey {
  constructor(seedBase64, keyId) {
    const seed = decode(seedBase64);
    if (seed.length !== 32) throw new Error('The seed must be 32 bytes of base64');
    this.pair = nacl.sign.keyPair.fromSeed(seed);
    this.keyId = keyId;
    this.publicKeyBase64 = unpadded(this.pair.publicKey);
  }

  /** A copy of object with our signature added under signatures[entity][keyId], keeping the others. */
  sign(object, entity) {
    const signature = nacl.sign.detached(signingBytes(object), this.pair.secretKey);
    const signatures = { ...(object.signatures || {}) };
    signatures[entity] = { ...(signatures[entity] || {}), [this.keyId]: unpadded(signature) };
    return { ...object, signatures };
  }
}

/** Whether object carries a valid signature by serverName with one of its own verify_keys. */
function selfSigned(object, serverName) {
  const signatures = object?.signatures?.[serverName] || {};
  for (const [keyId, signature] of Object.entries(signatures)) {
    const key = object?.verify_keys?.[keyId]?.key;
    if (!keyId.startsWith('ed25519:') || typeof key !== 'string' || typeof signature !== 'string') continue;
    try {
      if (nacl.sign.detached.verify(signingBytes(object), decode(signature), decode(key))) return true;
    } catch {
      // a malformed key or signature is simply not a valid one
    }
  }
  return false;
}

module.exports = { canonical, SigningKey, selfSigned };
