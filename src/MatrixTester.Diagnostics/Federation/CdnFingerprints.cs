using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.Federation;

/// <summary>
/// Recognises a CDN or cloud proxy in front of the federation port from the response headers it adds. Such proxies
/// often challenge, rate-limit or rewrite server-to-server requests (bot checks, JavaScript challenges, header
/// changes, caching): the tester's two requests may pass while a peer's signed PUT /send is blocked. It is a note with
/// advice, not a problem: a homeserver does not care who terminates TLS as long as the requests arrive unchanged.
/// </summary>
public static class CdnFingerprints
{
    public static readonly FindingDefinition BehindCdn = new("http.cdn", Severity.Info, "Federation goes through a CDN or cloud proxy", "federation-tls#cdn",
        "If some servers cannot reach you, turn off bot protection, challenges and caching for /_matrix/ (or serve federation on a port or host the CDN does not proxy), and check the CDN forwards requests and the Authorization header unchanged.");

    /// <summary>Header fingerprints: (header, value prefix or null for any value, CDN). Each is documented by its CDN.</summary>
    private static readonly (string Header, string? ValuePrefix, string Cdn)[] Signs =
    [
        ("cf-ray", null, "Cloudflare"),
        ("server", "cloudflare", "Cloudflare"),
        ("x-amz-cf-id", null, "Amazon CloudFront"),
        ("x-fastly-request-id", null, "Fastly"),
        ("server", "akamaighost", "Akamai"),
        ("x-azure-ref", null, "Azure Front Door"),
        ("server", "bunnycdn", "bunny.net"),
        ("x-sucuri-id", null, "Sucuri"),
    ];

    /// <summary>The CDN that answered <paramref name="exchange"/> and the header that shows it, or null.</summary>
    public static (string Cdn, string Evidence)? Detect(HttpExchange exchange)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        foreach (var (header, prefix, cdn) in Signs)
        {
            if (exchange.Header(header) is { } value && (prefix is null || value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)))
            {
                return (cdn, $"{header}: {ReportText.Cap(value, 60)}");
            }
        }
        return null;
    }

    /// <summary>One note per address when any of its federation responses shows a CDN.</summary>
    public static Finding? Check(IEnumerable<HttpExchange> exchanges, string subject) =>
        exchanges.Select(e => (Exchange: e, Sign: Detect(e))).FirstOrDefault(x => x.Sign is not null) is { Sign: { } sign } hit
            ? BehindCdn.Create($"{subject} answers through {sign.Cdn}",
                $"{hit.Exchange.Url} came back with \"{sign.Evidence}\". CDN and cloud proxies often block, challenge or alter server-to-server requests; this test passed through, but peers' signed requests may not.",
                subject)
            : null;
}
