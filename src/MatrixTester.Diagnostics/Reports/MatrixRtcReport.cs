using System.Text.Json.Serialization;
using MatrixTester.Diagnostics.Client;
using MatrixTester.Diagnostics.Federation;
using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.RtcToken;

namespace MatrixTester.Diagnostics.Reports;

/// <summary>
/// <c>matrixRtc</c> in the v2 report: calls (MatrixRTC) readiness, where clients find the call infrastructure and
/// whether each published part answers, and the end-to-end call token check.
/// </summary>
public sealed record MatrixRtcReport(
    MatrixRtcStatus Status,
    IReadOnlyList<RtcTransport> Transports,
    IReadOnlyList<TransportsEndpointProbe> TransportsEndpoints,
    IReadOnlyList<RtcServiceCheck> Services,
    RtcPrerequisites? Prerequisites)
{
    /// <summary>
    /// The call token check, which runs once the readiness checks have named the authorization services: null only
    /// in the calls step's streamed event (the check has not run yet), never in a finished report.
    /// </summary>
    public TokenCheckReport? TokenCheck { get; init; }

    /// <summary>One line for the page and the CLI.</summary>
    public string Summary { get; init; } = "";

    /// <summary>Every request the readiness checks made, in the order they finished.</summary>
    public IReadOnlyList<HttpExchange> Requests { get; init; } = [];

    /// <summary>The findings of the readiness checks (they are also in the report's findings list).</summary>
    [JsonIgnore]
    public IReadOnlyList<Finding> Findings { get; init; } = [];

    /// <summary>
    /// The published authorization services the token check asks, each once, the transports endpoint's first. A URL
    /// cut to fit the report is not what the server published, so it is never contacted.
    /// </summary>
    [JsonIgnore]
    public IReadOnlyList<Uri> ServiceUrls => PublishedServices.FromTransports(Transports
        .Where(t => t.ServiceUrl is null || System.Text.Encoding.UTF8.GetByteCount(t.ServiceUrl) <= ReportText.Url)
        .OrderBy(t => t.Source == RtcTransportSource.TransportsEndpoint ? 0 : 1)
        .Select(t => ((string?)t.Type, t.ServiceUrl)));

    /// <summary>The report with the token check's result, its verdict decided again with the check's findings.</summary>
    public MatrixRtcReport WithTokenCheck(TokenCheckReport tokenCheck)
    {
        ArgumentNullException.ThrowIfNull(tokenCheck);
        var joined = (this with { TokenCheck = tokenCheck }).WithTokenCheckFindings(tokenCheck.Findings);
        return tokenCheck.Status == TokenCheckStatus.Broken && joined.Status != MatrixRtcStatus.NotOffered
            ? joined with { Summary = ReportText.Cap($"{joined.Summary}; the call token check failed", ReportText.Paragraph) }
            : joined;
    }

    /// <summary>
    /// The verdict once the token check's findings are known too: an error there (a service that cannot verify users,
    /// an SFU that refuses its tokens) breaks calls as much as one here. Not offered stays not offered.
    /// </summary>
    public MatrixRtcReport WithTokenCheckFindings(IReadOnlyList<Finding> tokenFindings)
    {
        ArgumentNullException.ThrowIfNull(tokenFindings);
        var status = RtcReadiness.Decide(Status != MatrixRtcStatus.NotOffered, [.. Findings, .. tokenFindings]);
        var summary = ReportText.Cap(RtcReadiness.Summary(status, RtcReadiness.OfferedByEndpoint(TransportsEndpoints, Transports), TransportsEndpoints, Services),
            ReportText.Paragraph);
        return this with { Status = status, Summary = summary };
    }
}
