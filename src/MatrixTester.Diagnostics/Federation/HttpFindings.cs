using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.Federation;

public static class HttpFindings
{
    public static readonly FindingDefinition UnrequestedEncoding = new("http.unrequested_encoding", Severity.Warning, "The response is compressed although compression was not requested", "federation-tls#reverse-proxy",
        "The tester (like homeservers) sends no Accept-Encoding header; a proxy that compresses anyway sends bytes peers cannot read. Disable compression for /_matrix/ and /.well-known/matrix/ or honour Accept-Encoding.");

    /// <summary>A finding when <paramref name="exchange"/> carries a Content-Encoding other than identity.</summary>
    public static Finding? CheckEncoding(HttpExchange exchange, string subject)
    {
        var encoding = exchange.Header("content-encoding");
        return encoding is null || encoding.Equals("identity", StringComparison.OrdinalIgnoreCase)
            ? null
            : UnrequestedEncoding.Create($"{exchange.Url} was sent with Content-Encoding: {encoding}",
                "The request had no Accept-Encoding header, so the body must not be compressed. The tester does not decompress it (that also protects against compression bombs).", subject);
    }
}
