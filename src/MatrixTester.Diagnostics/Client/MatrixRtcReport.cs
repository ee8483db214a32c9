using System.Text.Json.Serialization;
using MatrixTester.Diagnostics.Federation;

namespace MatrixTester.Diagnostics.Client;

/// <summary>Whether clients can hold calls (MatrixRTC) with this server's users. Its own verdict, never part of federation's.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MatrixRtcStatus>))]
public enum MatrixRtcStatus
{
    /// <summary>Call infrastructure is published the way current clients look for it, and nothing checked failed.</summary>
    Ready,
    /// <summary>Calls can work, for some clients or with a missing prerequisite (warnings say which).</summary>
    Partial,
    /// <summary>The server publishes no call infrastructure at all.</summary>
    NotOffered,
    /// <summary>Call infrastructure is published but something clients need fails (errors say what).</summary>
    Broken,
}

/// <summary>Calls (MatrixRTC) readiness: where clients find the call infrastructure and whether each published part answers.</summary>
public sealed record MatrixRtcReport(
    MatrixRtcStatus Status,
    IReadOnlyList<RtcTransport> Transports,
    IReadOnlyList<TransportsEndpointProbe> TransportsEndpoints,
    IReadOnlyList<RtcServiceCheck> Services,
    RtcPrerequisites? Prerequisites)
{
    /// <summary>Filled by the token check when it runs; <see cref="RtcTokenCheck.NotConfigured"/> until then.</summary>
    public RtcTokenCheck TokenCheck { get; init; } = RtcTokenCheck.NotConfigured;

    /// <summary>One line for the page and the CLI.</summary>
    public string Summary { get; init; } = "";

    /// <summary>Every request the readiness checks made, in the order they finished.</summary>
    public IReadOnlyList<HttpExchange> Requests { get; init; } = [];

    /// <summary>The findings of the readiness checks (they are also in the report's findings list).</summary>
    [JsonIgnore]
    public IReadOnlyList<Findings.Finding> Findings { get; init; } = [];

    /// <summary>The published authorization service URLs, each once, in the order found (what the token check calls).</summary>
    [JsonIgnore]
    public IReadOnlyList<string> ServiceUrls => [.. Transports.Select(t => t.ServiceUrl).OfType<string>().Distinct(StringComparer.Ordinal)];
}
