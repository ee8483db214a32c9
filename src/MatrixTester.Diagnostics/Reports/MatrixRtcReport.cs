using System.Text.Json.Serialization;
using MatrixTester.Diagnostics.Client;
using MatrixTester.Diagnostics.Federation;

namespace MatrixTester.Diagnostics.Reports;

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
    public IReadOnlyList<global::MatrixTester.Diagnostics.Findings.Finding> Findings { get; init; } = [];

    /// <summary>The published authorization service URLs, each once, in the order found (what the token check calls).</summary>
    [JsonIgnore]
    public IReadOnlyList<string> ServiceUrls => [.. Transports.Select(t => t.ServiceUrl).OfType<string>().Distinct(StringComparer.Ordinal)];

    /// <summary>
    /// The verdict once the token check's findings are known too: an error there (a service that cannot verify users,
    /// an SFU that refuses its tokens) breaks calls as much as one here. Not offered stays not offered.
    /// </summary>
    public MatrixRtcReport WithTokenCheckFindings(IReadOnlyList<global::MatrixTester.Diagnostics.Findings.Finding> tokenFindings)
    {
        ArgumentNullException.ThrowIfNull(tokenFindings);
        var status = RtcReadiness.Decide(Status != MatrixRtcStatus.NotOffered, [.. Findings, .. tokenFindings]);
        var summary = global::MatrixTester.Diagnostics.Findings.ReportText.Cap(RtcReadiness.Summary(status, RtcReadiness.OfferedByEndpoint(TransportsEndpoints, Transports), TransportsEndpoints, Services),
            global::MatrixTester.Diagnostics.Findings.ReportText.Paragraph);
        return this with { Status = status, Summary = summary };
    }
}
