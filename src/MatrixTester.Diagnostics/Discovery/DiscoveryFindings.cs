using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.Discovery;

public static class ServerNameFindings
{
    public static readonly FindingDefinition Invalid = new("server_name.invalid", Severity.Error, "Not a valid server name", "server-names",
        "Enter the part after the colon in a Matrix ID, e.g. example.org for @alice:example.org, without https:// or a path.");

    public static readonly FindingDefinition UpperCase = new("server_name.upper_case", Severity.Warning, "Upper-case letters in the server name", "server-names#case",
        "Use the lower-case spelling: server names are case-sensitive in Matrix IDs, so choose the lower-case form before users register.");

    public static readonly FindingDefinition TooLong = new("server_name.long", Severity.Warning, "Server name longer than 230 characters", "server-names#length",
        "Choose a shorter server name; user and room IDs built from it are limited to 255 bytes.");

    public static readonly FindingDefinition IpLiteral = new("server_name.ip_literal", Severity.Warning, "The server name is an IP address", "server-names#ip-literals",
        "Use a DNS name you control as the server name; rooms commonly deny IP-literal servers with server ACLs.");

    public static readonly FindingDefinition Unusual = new("server_name.unusual", Severity.Warning, "Unusual spelling in the server name", "server-names",
        "Write the server name in its plain form: no leading zeros, no '-' at the start or end of a label.");
}

public static class WellKnownFindings
{
    public static readonly FindingDefinition NotFound = new("wellknown.not_found", Severity.Info, "No server delegation (.well-known returned 404)", "delegation#well-known",
        "Nothing to fix if the homeserver answers federation on the server name itself. To delegate to another host, serve {\"m.server\": \"host:port\"} at https://<server name>/.well-known/matrix/server.");

    public static readonly FindingDefinition Unreachable = new("wellknown.unreachable", Severity.Info, "No web server answered for .well-known", "delegation#well-known",
        "Nothing to fix unless you meant to delegate: then run an HTTPS server on port 443 of the server name that serves /.well-known/matrix/server.");

    public static readonly FindingDefinition CertificateInvalid = new("wellknown.certificate_invalid", Severity.Warning, ".well-known is ignored: its certificate is not valid", "delegation#well-known",
        "Homeservers fetch .well-known with normal certificate checks. Install a certificate for the server name on the web server that serves it (see the TLS certificates page).");

    public static readonly FindingDefinition HttpError = new("wellknown.http_error", Severity.Warning, ".well-known returned an error status", "delegation#well-known",
        "Serve /.well-known/matrix/server with status 200 and a JSON body, or 404 if you do not delegate.");

    public static readonly FindingDefinition Timeout = new("wellknown.timeout", Severity.Warning, ".well-known did not answer in time", "delegation#well-known",
        "Make the web server answer /.well-known/matrix/server promptly; homeservers give up and fall back to SRV and port 8448.");

    public static readonly FindingDefinition TooLarge = new("wellknown.too_large", Severity.Warning, ".well-known is larger than 50 KiB", "delegation#well-known",
        "Serve only {\"m.server\": \"host:port\"}; Synapse refuses well-known bodies over 50 KiB.");

    public static readonly FindingDefinition InvalidJson = new("wellknown.invalid_json", Severity.Warning, ".well-known is not valid JSON", "delegation#well-known",
        "Serve a JSON object such as {\"m.server\": \"matrix.example.org:443\"}; check the file is not an HTML page from a catch-all rule.");

    public static readonly FindingDefinition MissingMServer = new("wellknown.missing_m_server", Severity.Warning, ".well-known has no m.server string", "delegation#well-known",
        "Add an \"m.server\" property whose value is a string \"host\" or \"host:port\".");

    public static readonly FindingDefinition InvalidMServer = new("wellknown.invalid_m_server", Severity.Error, "m.server is not a valid server name", "delegation#well-known",
        "Set m.server to a host and optional port, e.g. \"matrix.example.org:443\", with no scheme or path. Synapse and Dendrite fail to federate with this value instead of falling back.");

    public static readonly FindingDefinition NonAsciiMServer = new("wellknown.m_server_non_ascii", Severity.Warning, "m.server is not ASCII, so peers ignore the delegation", "delegation#non-ascii",
        "Write the delegated name in its punycode form (e.g. xn--bcher-kva.example instead of bücher.example). Until then Synapse ignores the delegation and looks for SRV records and port 8448 on the server name; Go-based servers reject it.");

    public static readonly FindingDefinition EmptyMServer = new("wellknown.empty_m_server", Severity.Warning, "m.server is empty", "delegation#well-known",
        "Either remove the file (no delegation) or put the delegated host in m.server.");

    public static readonly FindingDefinition ContentType = new("wellknown.content_type", Severity.Warning, ".well-known is not served as application/json", "delegation#well-known",
        "Add 'Content-Type: application/json' for this path (nginx: default_type application/json;). Homeservers parse it anyway, but browsers and tools may not.");

    public static readonly FindingDefinition Redirected = new("wellknown.redirect", Severity.Info, ".well-known was redirected", "delegation#redirects",
        "Redirects work but cost extra round trips on every cache refresh; serve the file directly on the server name if you can.");

    public static readonly FindingDefinition RedirectToHttp = new("wellknown.redirect_http", Severity.Warning, ".well-known redirects to plain http://", "delegation#redirect-http",
        "Serve /.well-known/matrix/server over HTTPS all the way: drop the redirect to http:// (often a site-wide rule or a proxy that does not know it runs behind TLS). Homeservers follow it, but the delegation can then be changed by anyone on the path.");

    public static readonly FindingDefinition RedirectLoop = new("wellknown.redirect_loop", Severity.Warning, ".well-known redirects in a loop", "delegation#redirects",
        "Fix the redirect rules so /.well-known/matrix/server ends at a 200 response.");

    public static readonly FindingDefinition TooManyRedirects = new("wellknown.too_many_redirects", Severity.Warning, ".well-known redirects too many times", "delegation#redirects",
        "Redirect at most once or twice; Go-based servers give up after 10 redirects.");

    public static readonly FindingDefinition BadRedirect = new("wellknown.bad_redirect", Severity.Warning, ".well-known redirects somewhere unusable", "delegation#redirects",
        "Redirect only to https:// URLs on public hosts, with a Location header.");

    public static readonly FindingDefinition SplitBrain = new("wellknown.split_brain", Severity.Error, "Addresses of the server name give different .well-known answers", "delegation#split-brain",
        "Every address of the server name must serve the same file: other servers pick an address at random. Check each web server or load balancer behind the name.");

    public static readonly FindingDefinition CacheTtl = new("wellknown.cache", Severity.Info, "How long homeservers will cache .well-known", "delegation#caching",
        "Nothing to fix; lower max-age before you change the delegation so the change is picked up quickly.");

    public static readonly FindingDefinition CacheClamped = new("wellknown.cache_clamped", Severity.Warning, "Caching headers outside what homeservers accept", "delegation#caching",
        "Use Cache-Control: max-age between 300 and 172800 seconds; homeservers clamp other values into that range.");
}

public static class SrvFindings
{
    public static readonly FindingDefinition DeprecatedOnly = new("srv.deprecated", Severity.Warning, "Only the deprecated _matrix._tcp SRV record exists", "delegation#srv",
        "Add a _matrix-fed._tcp record with the same target and port (or move to .well-known delegation). _matrix._tcp is deprecated since Matrix 1.8 and will stop being used.");

    public static readonly FindingDefinition DeprecatedIgnored = new("srv.deprecated_ignored", Severity.Info, "The deprecated _matrix._tcp record is ignored", "delegation#srv",
        "A _matrix-fed._tcp record exists, so homeservers ignore _matrix._tcp; you can delete the old record.");

    public static readonly FindingDefinition TargetIsCname = new("srv.target_cname", Severity.Warning, "An SRV target is a CNAME", "delegation#srv",
        "Point the SRV record at a name with A/AAAA records; RFC 2782 forbids aliases as SRV targets. Homeservers follow it today, but strict resolvers do not.");

    public static readonly FindingDefinition NotOffered = new("srv.not_offered", Severity.Error, "SRV says federation is not offered", "delegation#srv",
        "An SRV target of \".\" means \"no service here\". Remove that record or point it at your homeserver.");

    public static readonly FindingDefinition LookupFailed = new("srv.lookup_failed", Severity.Error, "The SRV lookup failed", "dns#errors",
        "Fix the DNS zone or its name servers: a SERVFAIL, REFUSED or timeout on the SRV lookup makes Synapse give up instead of falling back.");

    public static readonly FindingDefinition TargetUnresolvable = new("srv.target_unresolvable", Severity.Error, "An SRV target has no address", "delegation#srv",
        "Give the SRV target A and/or AAAA records, or correct the target name (mind the trailing dot in zone files).");

    public static readonly FindingDefinition TargetSkipped = new("srv.target_skipped", Severity.Warning, "An SRV target has no address, but another target works", "delegation#srv-fallback",
        "Remove the SRV record for the dead target or give it A/AAAA records. Other servers skip it and use the next target, at the cost of a failed lookup on every new connection.");

    public static readonly FindingDefinition TargetUnreachable = new("srv.target_unreachable", Severity.Warning, "An SRV target cannot be reached, but another target works", "delegation#srv-fallback",
        "Start the homeserver on that target, open its port, or remove the SRV record. Other servers fall back to the next target after a failed connection attempt (or a long timeout); the Go federation tester reports FederationOK false.");

    public static readonly FindingDefinition TargetIsIpLiteral = new("srv.target_ip_literal", Severity.Warning, "An SRV target is an IP address", "delegation#srv-ip-literal",
        "Point the SRV record at a host name with A/AAAA records (e.g. matrix.example.org.), as RFC 2782 requires. Synapse connects to the address anyway, but stricter resolvers do not.");

    public static readonly FindingDefinition TooMany = new("srv.too_many", Severity.Warning, "More SRV records than the tester follows", "delegation#srv",
        "Keep the SRV record set small; only the first records were checked.");
}

public static class DnsFindings
{
    public static readonly FindingDefinition NxDomain = new("dns.nxdomain", Severity.Error, "The host name does not exist in DNS", "dns#nxdomain",
        "Create A and/or AAAA records for the host (or check the spelling and the zone's delegation at the registrar).");

    public static readonly FindingDefinition NoAddresses = new("dns.no_addresses", Severity.Error, "The host has no A or AAAA records", "dns#no-addresses",
        "Add A and/or AAAA records for the host.");

    public static readonly FindingDefinition ServFail = new("dns.servfail", Severity.Error, "DNS answered SERVFAIL", "dns#errors",
        "The name servers could not produce an answer: most often broken DNSSEC signatures or an authoritative server that is down or lame. Check the zone with your DNS provider.");

    public static readonly FindingDefinition Refused = new("dns.refused", Severity.Error, "DNS answered REFUSED", "dns#errors",
        "A name server refused to answer for this name: the zone is probably not configured on the servers it is delegated to. Check the NS records at your registrar.");

    public static readonly FindingDefinition Timeout = new("dns.timeout", Severity.Error, "DNS did not answer in time", "dns#errors",
        "The name servers for this name did not answer. Check that they are reachable over UDP and TCP port 53 from the internet.");

    public static readonly FindingDefinition LookupFailed = new("dns.lookup_failed", Severity.Error, "A DNS lookup failed", "dns#errors",
        "The answer was malformed, looped through CNAMEs or carried an unusual error code. Check the zone with your DNS provider.");

    public static readonly FindingDefinition Cname = new("dns.cname", Severity.Info, "The host is an alias (CNAME)", "dns#cname",
        "Nothing to fix: CNAMEs are allowed for server names and delegated names. The certificate must still cover the name before the alias.");

    public static readonly FindingDefinition TooManyAddresses = new("dns.too_many_addresses", Severity.Warning, "More addresses than the tester checks", "dns#no-addresses",
        "Only the first addresses were checked. Make sure every address serves the homeserver.");

    public static readonly FindingDefinition ApexNotNeeded = new("dns.apex_not_needed", Severity.Info, "The server name has no address, and federation does not need one", "dns#apex-addresses",
        "Nothing to fix for federation: SRV records point other servers at your homeserver. To serve /.well-known/matrix/client (login with just a Matrix ID) or the support file, give the server name an A/AAAA record and a web server.");

    public static readonly FindingDefinition PrivateAddressSkipped = new("net.private_address_skipped", Severity.Warning, "A non-public address among the server name's addresses", "troubleshooting#private-address-skipped",
        "Remove the private, loopback or link-local record from public DNS (often a leftover from split-horizon DNS). Homeservers skip it silently, but it can slow them down or send some to the wrong host.");

    public static readonly FindingDefinition AddressRefused = new("net.address_refused", Severity.Error, "The address is not public, so the tester did not connect", "troubleshooting#private-address",
        "Publish only public addresses in DNS for federation; other servers on the internet cannot reach private, loopback or link-local addresses either.");
}

public static class DiscoveryFindings
{
    public static readonly FindingDefinition NoEndpoints = new("discovery.no_endpoints", Severity.Error, "No address to connect to", "troubleshooting#no-address",
        "Other servers cannot find your homeserver. Publish A/AAAA records for the name discovery ends at (see the steps above), or delegate with .well-known or SRV.");

    public static readonly FindingDefinition TooManyEndpoints = new("discovery.too_many_endpoints", Severity.Warning, "More endpoints than the tester checks", "troubleshooting#no-address",
        "Only the first endpoints (in SRV priority order) were checked. Make sure every address in DNS serves the homeserver.");

    public static readonly FindingDefinition InternalError = new("diagnosis.internal_error", Severity.Error, "The tester itself failed", "troubleshooting#still-failing",
        "This is a defect in MatrixTester, not in your server. Run the check again; if it repeats, report it with the permalink.");

    public static readonly FindingDefinition TimedOut = new("diagnosis.timed_out", Severity.Error, "The diagnosis hit its overall deadline", "troubleshooting#timeouts",
        "Parts of the report are missing because a server or DNS did not answer in time; the findings say which. Fix those first, then run again.");
}

public static class WellKnownConsistencyFindings
{
    public static readonly FindingDefinition PartiallyUnreachable = new("wellknown.partially_unreachable", Severity.Warning, ".well-known answers on some addresses only", "delegation#split-brain",
        "Every address of the server name must serve the file; a server that reaches a failing address falls back to SRV and port 8448 and may not find your homeserver.");

    public static readonly FindingDefinition Inconsistent = new("wellknown.inconsistent", Severity.Warning, "Addresses of the server name answer .well-known differently, with the same outcome", "delegation#inconsistent",
        "Make every address of the server name answer the same way. Today it makes no difference to other servers, but the next change to the file will only reach some of them. For an IPv6 address, add `listen [::]:443` (or its equivalent) to the site that serves the file.");
}
