'use strict';
// Command line: --name value pairs; every option also reads LAB_RTC_<NAME> from the environment (the secrets come
// that way, off the command line).
const FAULTS = ['egress-blocked', 'no-get-token'];

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
  const get = (name, fallback) => raw[name] ?? env[`LAB_RTC_${name.toUpperCase().replace(/-/g, '_')}`] ?? fallback;
  const required = (name) => {
    const value = get(name);
    if (!value) throw new Error(`--${name} is required`);
    return value;
  };
  const endpoint = (name) => {
    const text = required(name);
    const colon = text.lastIndexOf(':');
    const port = Number(text.slice(colon + 1));
    if (!Number.isInteger(port) || port <= 0) throw new Error(`--${name} ${text} has no valid port`);
    return { host: text.slice(0, colon).replace(/^\[|\]$/g, ''), port };
  };
  const faults = (get('fault', '') || '').split(',').map((f) => f.trim()).filter(Boolean);
  for (const fault of faults) {
    if (!FAULTS.includes(fault)) throw new Error(`Unknown fault ${fault}; known: ${FAULTS.join(', ')}`);
  }
  const service = endpoint('listen');
  return {
    service,
    sfu: endpoint('sfu-listen'),
    certPath: required('cert'),
    keyPath: required('key'),
    sfuCertPath: required('sfu-cert'),
    sfuKeyPath: required('sfu-key'),
    dns: required('dns'),
    sfuUrl: required('sfu-url'),
    apiKey: required('api-key'),
    apiSecret: required('api-secret'),
    sfuSecret: required('sfu-secret'),
    roomAutoCreate: get('room-auto-create', 'true') === 'true',
    timeoutMs: Number(get('timeout-ms', '8000')),
    faults: new Set(faults),
    // What lab-peer's outbound module reads: the address connections leave from, and its blocking fault.
    host: service.host,
  };
}

module.exports = { parse, FAULTS };
