using MatrixTester.Diagnostics.Discovery;
using MatrixTester.Diagnostics.Federation;
using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Keys;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Diagnostics.Tls;

namespace MatrixTester.Diagnostics.Orchestration;

/// <summary>
/// The per-address checks: one TCP+TLS connection to the endpoint (pinned address, SNI and certificate name from
/// discovery, Host header from discovery) carries <c>/_matrix/key/v2/server</c> and
/// <c>/_matrix/federation/v1/version</c>, pipelined so both cost one round trip. The connection may already be up
/// (started speculatively during discovery). The certificate is recorded, not enforced, so it can be explained.
/// </summary>
internal sealed class ConnectionStage(DiagnosisContext context, CertificateInspector inspector)
{
    private const string KeysPath = "/_matrix/key/v2/server";
    private const string VersionPath = "/_matrix/federation/v1/version";

    public async Task<ConnectionReport> CheckAsync(ResolvedEndpoint endpoint, CancellationToken cancellationToken)
    {
        var key = endpoint.Key;
        if (context.Policy.Check(endpoint.Address) is { Allowed: false } refused)
        {
            var message = $"{key} is in a non-public range ({refused.Range}); the tester does not connect to it.";
            return new ConnectionReport(endpoint, null, null, null, [], message,
                [DnsFindings.AddressRefused.Create($"{key} is not a public address; the tester will not connect to it",
                    $"Discovery step {endpoint.StepNumber} led to {endpoint.Address}, which is in a non-public range: {refused.Range}. Other homeservers on the internet cannot reach it either.", key)]);
        }

        context.Progress($"Connecting to {key} (TLS name {endpoint.TlsName})");
        using var connection = context.TakeConnection(endpoint.EndPoint, endpoint.TlsName);
        var findings = new List<Finding>();
        var limits = connection.Limits;
        IReadOnlyList<HttpExchange> exchanges;
        using (context.Waiting($"https://{endpoint.HostHeader}{KeysPath} and {VersionPath} ({key})"))
        {
            exchanges = await connection.SendAsync([OutboundRequest.Get(KeysPath, limits.KeysBodyBytes), OutboundRequest.Get(VersionPath, limits.VersionBodyBytes)],
                endpoint.HostHeader, () => context.Elapsed, cancellationToken);
        }
        var (keysExchange, versionExchange) = (exchanges[0], exchanges[1]);

        TlsReport? tls = null;
        if (connection.Session is { } session)
        {
            var certificates = inspector.Inspect(session.ChainAsSent, endpoint.TlsName, context.Time.GetUtcNow(), key);
            tls = new TlsReport(session.Version, session.CipherSuiteName, session.Sni, session.ConnectTime, session.HandshakeTime, certificates)
            {
                StartedAt = session.ConnectStartedUtc - context.StartedAt,
            };
            findings.AddRange(certificates.Findings);
        }
        if (IsConnectionFailure(keysExchange))
        {
            findings.Add(keysExchange.FailureFinding ?? ConnectionFindings.Reset.Create($"The connection to {key} failed", keysExchange.Error ?? keysExchange.Failure.Describe(), key));
            var error = keysExchange.Error ?? keysExchange.Failure.Describe();
            return new ConnectionReport(endpoint, tls, new VersionReport(null, null, error), null, [keysExchange], error, findings);
        }

        findings.AddRange(new[] { keysExchange, versionExchange }.Select(e => HttpFindings.CheckEncoding(e, key)).OfType<Finding>());
        if (CdnFingerprints.Check([keysExchange, versionExchange], key) is { } cdn)
        {
            findings.Add(cdn);
        }
        var (version, versionFindings) = VersionCheck.Evaluate(versionExchange, key);
        findings.AddRange(versionFindings);

        ServerKeyResult? keys = null;
        string? connectionError;
        if (keysExchange.Failure == ExchangeFailure.None)
        {
            keys = ServerKeyChecker.Check(keysExchange.Status ?? 0, keysExchange.Header("content-type"), keysExchange.Body, context.ServerName.Text, context.Time.GetUtcNow(), key);
            findings.AddRange(keys.Findings);
            connectionError = keys.IsKeyResponse ? null : GoStyleKeyError(keysExchange);
        }
        else
        {
            // Body too large, a reset or a timeout mid-response: the connection worked but the keys did not arrive.
            findings.Add(keysExchange.FailureFinding ?? TransferFailure(keysExchange, key));
            connectionError = keysExchange.Error;
        }
        return new ConnectionReport(endpoint, tls, version, keys, [keysExchange, versionExchange], connectionError, findings);
    }

    /// <summary>A failure after the connection was up: the response was too big, too slow, cut off or not HTTP.</summary>
    private Finding TransferFailure(HttpExchange exchange, string key) => exchange.Failure switch
    {
        ExchangeFailure.BodyTooLarge => KeyFindings.TooLarge.Create($"The key response from {key} is larger than {context.Limits.KeysBodyBytes / 1024} KiB", exchange.Error ?? "", key),
        ExchangeFailure.Timeout => TlsFailureClassifier.TimedOut(key, "with a complete key response", exchange.Duration),
        ExchangeFailure.ProtocolError => KeyFindings.InvalidJson.Create($"{key} did not answer with valid HTTP", exchange.Error ?? "", key),
        _ => ConnectionFindings.Reset.Create($"{key} closed the connection before the key response was complete", exchange.Error ?? "", key),
    };

    private static bool IsConnectionFailure(HttpExchange exchange) => exchange.Failure is
        ExchangeFailure.AddressRefused or ExchangeFailure.ConnectRefused or ExchangeFailure.ConnectTimeout or
        ExchangeFailure.Unreachable or ExchangeFailure.ConnectFailed or ExchangeFailure.TlsHandshakeFailed or ExchangeFailure.CertificateRejected;

    /// <summary>The reference tester's wording for a key fetch that gave no JSON object, as its users know it.</summary>
    private static string GoStyleKeyError(HttpExchange exchange) => exchange.Status != 200
        ? $"Non-200 response {exchange.Status} from remote server"
        : $"Unable to decode JSON from remote server: body starts {exchange.BodyPreview(60)}";
}
