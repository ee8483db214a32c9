namespace MatrixTester.Diagnostics.Federation;

/// <summary>
/// The one set of bounds for every HTTP/1.1 exchange the engine makes (well-known files, client API, federation
/// GETs, key queries): how long connecting and each request may take, how much of a response head is read, and how
/// many body bytes each kind of request may bring back. One record, so no two paths disagree.
/// </summary>
public sealed record HttpLimits
{
    /// <summary>TCP connect, and then the TLS handshake, each bounded by this (a connect failure is a precise finding).</summary>
    public required TimeSpan ConnectTimeout { get; init; }

    /// <summary>From sending a request to the end of its response body, pipelined requests included.</summary>
    public required TimeSpan RequestTimeout { get; init; }

    /// <summary>Status line plus header fields; more is not HTTP a homeserver or web server sends.</summary>
    public int MaxHeaderBytes { get; init; } = 64 * 1024;

    /// <summary>Header fields in one response head; more is a protocol error.</summary>
    public int MaxHeaderFields { get; init; } = 256;

    /// <summary>Header fields kept in a report (by distinct name, first seen first); the rest are read but not stored.</summary>
    public int ReportedHeaders { get; init; } = 32;

    /// <summary>UTF-8 bytes of one (combined) header value kept in a report, beyond <see cref="ReasonedHeaders"/>.</summary>
    public int ReportedHeaderValueBytes { get; init; } = Findings.ReportText.Name;

    /// <summary>UTF-8 bytes of names and values of all the other header fields of one response kept in a report.</summary>
    public int ReportedHeaderBytes { get; init; } = 2048;

    /// <summary>
    /// The header fields the engine reads to decide something (redirects, caching, content type, compression,
    /// CORS): always kept in a report, each up to <see cref="Findings.ReportText.Url"/> bytes.
    /// </summary>
    public static readonly System.Collections.Frozen.FrozenSet<string> ReasonedHeaders = System.Collections.Frozen.FrozenSet.Create(StringComparer.Ordinal,
        "location", "cache-control", "expires", "content-type", "content-encoding", "access-control-allow-origin");

    /// <summary>A chunk-size line of a chunked body.</summary>
    public int MaxChunkLineBytes { get; init; } = 8 * 1024;

    /// <summary>
    /// <c>/.well-known/matrix/server</c>: Synapse stops reading at 50 KiB and treats a file that long as missing, so
    /// one byte less is the largest file that still delegates.
    /// </summary>
    public int WellKnownBodyBytes { get; init; } = WellKnownTooLargeBytes - 1;

    /// <summary>The client and support well-known files and <c>/_matrix/client/versions</c>.</summary>
    public int ClientBodyBytes { get; init; } = 64 * 1024;

    /// <summary>
    /// The call authorization service's probes (<c>/healthz</c>, the token routes' 405, the CORS preflight): their
    /// answers are empty or a line, but a proxy's error page in front of the service may be a few KiB.
    /// </summary>
    public int CallServiceBodyBytes { get; init; } = 16 * 1024;

    /// <summary><c>/_matrix/key/v2/server</c> (and the notary's <c>/_matrix/key/v2/query</c> answer).</summary>
    public int KeysBodyBytes { get; init; } = 256 * 1024;

    /// <summary><c>/_matrix/federation/v1/version</c>: a few dozen bytes from a homeserver.</summary>
    public int VersionBodyBytes { get; init; } = 64 * 1024;

    /// <summary>The size at which Synapse gives up on a server well-known (50 KiB).</summary>
    public const int WellKnownTooLargeBytes = 50 * 1024;

    public static HttpLimits From(DiagnosisOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new HttpLimits { ConnectTimeout = options.ConnectTimeout, RequestTimeout = options.RequestTimeout };
    }
}
