'use strict';
// Every outbound connection of the peer goes through here, the SDK's included: names resolve through the lab DNS
// server, and the outbound faults act on the connection itself.
//
// DNS: dns.setServers() steers only dns.resolve*(); connections (net/tls, so fetch() too) resolve names with
// dns.lookup(), i.e. getaddrinfo and /etc/hosts, which ignore setServers. So lookup is replaced by one that asks
// the lab server. The SDK also creates `new dns.promises.Resolver()` objects, which start with the system's
// resolv.conf servers and not the ones setServers gave, so Resolver is replaced by a subclass pointed at the lab.
// Node caches neither, so replacing the module properties before the SDK is loaded reaches every call.
const dns = require('node:dns');
const net = require('node:net');
const tls = require('node:tls');
const { log } = require('./log');

function install(options) {
  const servers = [options.dns];
  const timeout = 2000;
  dns.setServers(servers);
  dns.promises.setServers(servers);

  const Base = dns.promises.Resolver;
  class LabResolver extends Base {
    constructor(settings) {
      super({ timeout, tries: 2, ...settings });
      this.setServers(servers);
    }
  }
  dns.promises.Resolver = LabResolver;
  const CallbackBase = dns.Resolver;
  dns.Resolver = class extends CallbackBase {
    constructor(settings) {
      super({ timeout, tries: 2, ...settings });
      this.setServers(servers);
    }
  };

  const resolver = new LabResolver();
  const lookupAsync = async (hostname, opts) => {
    const family = net.isIP(hostname);
    let addresses;
    if (family) addresses = [{ address: hostname, family }];
    else if (hostname === 'localhost') addresses = [{ address: '127.0.0.1', family: 4 }];
    else {
      const v4 = await resolver.resolve4(hostname).catch(() => []);
      const v6 = opts.family === 4 ? [] : await resolver.resolve6(hostname).catch(() => []);
      addresses = [...v4.map((a) => ({ address: a, family: 4 })), ...v6.map((a) => ({ address: a, family: 6 }))]
        .filter((a) => !opts.family || a.family === opts.family);
    }
    if (addresses.length === 0) {
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname} (lab DNS ${options.dns})`), { code: 'ENOTFOUND', hostname });
    }
    return addresses;
  };
  const normalize = (opts) => (typeof opts === 'number' ? { family: opts } : opts || {});
  dns.lookup = (hostname, opts, callback) => {
    if (typeof opts === 'function') [callback, opts] = [opts, {}];
    const o = normalize(opts);
    lookupAsync(hostname, o).then(
      (all) => (o.all ? callback(null, all) : callback(null, all[0].address, all[0].family)),
      (error) => callback(error));
  };
  dns.promises.lookup = async (hostname, opts) => {
    const o = normalize(opts);
    const all = await lookupAsync(hostname, o);
    return o.all ? all : all[0];
  };

  wrapConnect(net, 'net', options);
  wrapConnect(tls, 'tls', options);
}

// net.connect(options | port, host?, listener?) and tls.connect(options | port, host?, options?, listener?):
// only the object form carries localAddress; fetch, https and our notary all use it.
function wrapConnect(module, kind, options) {
  const original = module.connect;
  const patched = function connect(...args) {
    const target = typeof args[0] === 'object' ? args[0] : { port: args[0], host: args[1] };
    const entry = { kind, host: target.host, port: Number(target.port), servername: target.servername };
    if (options.faults.has('outbound-blocked')) {
      log('connect', { ...entry, blocked: true });
      // An egress firewall that rejects: the connection fails at once, as with REJECT (not DROP, which would only
      // turn every check into a timeout).
      const socket = new net.Socket();
      const error = Object.assign(new Error(`connect ECONNREFUSED ${target.host}:${target.port} (outbound connections are blocked)`),
        { code: 'ECONNREFUSED', syscall: 'connect' });
      process.nextTick(() => socket.destroy(error));
      return socket;
    }
    // Connections leave from the peer's own address, as a server's do from its public address (on loopback the
    // kernel would otherwise pick 127.0.0.1), or from the other address when the fault asks for it.
    const localAddress = options.faults.has('fetches-from-other-address') ? options.otherAddress : ownAddress(options);
    if (localAddress && typeof args[0] === 'object' && !args[0].localAddress) {
      args[0] = { ...args[0], localAddress, family: net.isIP(localAddress) };
      entry.localAddress = localAddress;
    }
    log('connect', entry);
    return original.apply(this, args);
  };
  module.connect = patched;
  if (kind === 'net') module.createConnection = patched;
}

// The listen address when it is one address (not 0.0.0.0 or ::): the lab's hosts are IPv4, so only IPv4 counts.
function ownAddress(options) {
  return net.isIPv4(options.host) && options.host !== '0.0.0.0' ? options.host : undefined;
}

module.exports = { install };
