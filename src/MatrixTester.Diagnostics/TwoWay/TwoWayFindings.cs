using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.TwoWay;

/// <summary>
/// Findings of the two-way check: the tester acts as a Matrix server, sends the target a request signed with an
/// ephemeral key (spec, server-server API, "Request Authentication") and watches whether the target fetches that key.
/// </summary>
public static class TwoWayFindings
{
    private const string Docs = "two-way";

    public static readonly FindingDefinition OutboundBlocked = new("twoway.outbound_blocked", Severity.Error,
        "Your server cannot reach other servers", Docs + "#outbound-blocked",
        "Check, from the homeserver's own host or container: that it can resolve other servers' names (its DNS resolver), that the egress firewall allows outbound TCP to port 8448 and 443, that its CA bundle is present and current (containers often lack one), and that federation_domain_whitelist (if set) is what you intend.");

    public static readonly FindingDefinition AuthHeaderMissing = new("twoway.auth_header_missing", Severity.Error,
        "Your server answered our signed request as if it carried no signature", Docs + "#auth-header-missing",
        "Make the reverse proxy pass the Authorization header on to the homeserver for /_matrix/ (nginx does by default; check for proxy_set_header Authorization \"\", a CDN or WAF rule that strips it, or an auth module in front).");

    public static readonly FindingDefinition RequestAltered = new("twoway.request_altered", Severity.Error,
        "Our signature did not verify: the request your server saw was not the one we signed", Docs + "#request-altered",
        "Forward requests unchanged: in nginx write proxy_pass http://127.0.0.1:8008; with no path or trailing slash (a path makes nginx rewrite and re-encode the URI), pass the Host and Authorization headers as received, and do not rewrite /_matrix/ paths or query strings.");

    public static readonly FindingDefinition NotaryUnsupported = new("twoway.notary_unsupported", Severity.Info,
        "Your server does not offer the notary key API", Docs + "#notary-unsupported",
        "Nothing to fix: the notary API (/_matrix/key/v2/query) is optional for federation; some implementations (e.g. the Conduit family) do not offer it.");

    public static readonly FindingDefinition FetchedViaNotary = new("twoway.fetched_via_notary", Severity.Info,
        "Your server verified our signature without fetching our key from its own addresses", Docs + "#fetched-via-notary",
        "Nothing to fix if this is intended: your server asks a notary (trusted_key_servers, matrix.org by default) for keys, or leaves through a NAT or proxy address. If you expected direct fetches, check trusted_key_servers and your egress routing.");

    public static readonly FindingDefinition SignatureNotChecked = new("twoway.signature_not_checked", Severity.Error,
        "Your server accepted a request whose signature was wrong", Docs + "#signature-not-checked",
        "Make sure /_matrix/federation/ reaches the homeserver itself: a catch-all rule in the reverse proxy, a placeholder or a maintenance page that answers every request the same way hides it. A homeserver must refuse requests whose X-Matrix signature does not verify (401).");

    public static readonly FindingDefinition NotConfigured = new("twoway.not_configured", Severity.Info,
        "The two-way check is not configured on this tester", Docs + "#not-configured",
        "The two-way check needs the tester to be a Matrix server itself: run the site with Federation:ServerName set and its key endpoint reachable over TLS (see docs/deployment.md). The command-line tool cannot run it; use the web site.");
}
