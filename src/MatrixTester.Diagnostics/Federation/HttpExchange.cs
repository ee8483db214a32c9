using System.Net;
using System.Text.Json.Serialization;
using MatrixTester.Diagnostics.DnsLookup;
using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.Federation;

[JsonConverter(typeof(JsonStringEnumConverter<ExchangeFailure>))]
public enum ExchangeFailure
{
    None,
    /// <summary>The address policy refused the address; nothing was sent.</summary>
    AddressRefused,
    ConnectRefused,
    ConnectTimeout,
    Unreachable,
    ConnectFailed,
    TlsHandshakeFailed,
    /// <summary>The handshake completed but the certificate failed validation (only where validation is enforced).</summary>
    CertificateRejected,
    Timeout,
    ConnectionReset,
    ProtocolError,
    BodyTooLarge,
}

/// <summary>
/// One HTTP request as it happened: where it went (URL, pinned address, Host header, SNI), what came back
/// (status, the headers we reason about, a capped body) and how long each part took. Failures are data.
/// </summary>
public sealed record HttpExchange
{
    public required string Url { get; init; }

    /// <summary>The request method when it was not GET (a CORS preflight is OPTIONS); absent for GET.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Method { get; init; }

    [JsonConverter(typeof(IPAddressJsonConverter))]
    public required IPAddress Address { get; init; }

    public required int Port { get; init; }

    public required string HostHeader { get; init; }

    /// <summary>The SNI sent, or null when none was (IP-literal TLS names).</summary>
    public string? Sni { get; init; }

    public int? Status { get; init; }

    public string? ReasonPhrase { get; init; }

    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    [JsonIgnore]
    public byte[] Body { get; init; } = [];

    /// <summary>Bytes of body received (capped at the request's limit).</summary>
    public int BodyLength { get; init; }

    /// <summary>The start of the body as display text (control characters replaced), kept in stored reports.</summary>
    public string? BodyStart { get; init; }

    public ExchangeFailure Failure { get; init; }

    public string? Error { get; init; }

    /// <summary>For connection and handshake failures: the precise finding (refused, timeout, not TLS, …).</summary>
    [JsonIgnore]
    public Findings.Finding? FailureFinding { get; init; }

    /// <summary>When the request started, relative to the start of the diagnosis.</summary>
    public TimeSpan StartedAt { get; init; }

    public TimeSpan Duration { get; init; }

    /// <summary>True when a new TCP+TLS connection was made for this request (false when one was reused).</summary>
    public bool NewConnection { get; init; }

    public TimeSpan? ConnectTime { get; init; }

    public TimeSpan? TlsTime { get; init; }

    public bool IsSuccess => Failure == ExchangeFailure.None && Status is >= 200 and < 300;

    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var v) ? v : null;

    /// <summary>
    /// The first <paramref name="maxBytes"/> bytes of the body as one line of text (control characters replaced),
    /// capped like every server-controlled string, for showing in a finding.
    /// </summary>
    public string BodyPreview(int maxBytes = 200)
    {
        var text = ReportText.Cap(Body, maxBytes);
        return new string([.. text.Select(c => char.IsControl(c) && c != '\n' ? '\uFFFD' : c)]).ReplaceLineEndings(" ");
    }
}
