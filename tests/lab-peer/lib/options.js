'use strict';
// Command line: --name value pairs; every option also reads LAB_PEER_<NAME> from the environment.
const FAULTS = ['outbound-blocked', 'drops-authorization', 'rewrites-path', 'no-notary', 'fetches-from-other-address', 'stub'];

function parse(argv, env) {
  const raw = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new Error(`Unexpected argument ${arg}`);
    const value = argv[i + 1];
    if (value === undefined || value.startsWith('--')) throw new Error(`${arg} needs a value`);
    raw[arg.slice(2)] = value;
    i++;
  }
  const get = (name, fallback) => raw[name] ?? env[`LAB_PEER_${name.toUpperCase().replace(/-/g, '_')}`] ?? fallback;
  const required = (name) => {
    const value = get(name);
    if (!value) throw new Error(`--${name} is required`);
    return value;
  };

  const listen = required('listen');
  const colon = listen.lastIndexOf(':');
  const faults = (get('fault', '') || '').split(',').map((f) => f.trim()).filter(Boolean);
  for (const fault of faults) {
    if (!FAULTS.includes(fault)) throw new Error(`Unknown fault ${fault}; known: ${FAULTS.join(', ')}`);
  }
  const options = {
    serverName: required('server-name'),
    host: listen.slice(0, colon).replace(/^\[|\]$/g, ''),
    port: Number(listen.slice(colon + 1)),
    certPath: required('cert'),
    keyPath: required('key'),
    seed: required('seed'),
    keyId: get('key-id', 'ed25519:peer1'),
    dns: required('dns'),
    faults: new Set(faults),
    otherAddress: get('other-address'),
    timeoutMs: Number(get('timeout-ms', '8000')),
  };
  if (!Number.isInteger(options.port) || options.port <= 0) throw new Error(`--listen ${listen} has no valid port`);
  if (options.faults.has('fetches-from-other-address') && !options.otherAddress) {
    throw new Error('fetches-from-other-address needs --other-address');
  }
  return options;
}

module.exports = { parse, FAULTS };
