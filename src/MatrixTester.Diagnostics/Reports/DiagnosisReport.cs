using System.Text.Json.Serialization;
using MatrixTester.Diagnostics.Discovery;
using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.Reports;

[JsonConverter(typeof(JsonStringEnumConverter<VerdictStatus>))]
public enum VerdictStatus
{
    Works,
    WorksWithWarnings,
    Broken,
}

/// <summary>
/// The answer at the top of the page. <see cref="FederationOk"/> follows the reference tester's rule (every address
/// must pass every check); <see cref="IPv4"/>/<see cref="IPv6"/> say how each address family fares on its own
/// (null when the family has no address).
/// </summary>
public sealed record Verdict(
    VerdictStatus Status,
    bool FederationOk,
    [property: JsonPropertyName("ipv4")] bool? IPv4,
    [property: JsonPropertyName("ipv6")] bool? IPv6,
    string Summary);

/// <summary>Our full (v2) report: every step, request and finding of one diagnosis.</summary>
public sealed record DiagnosisReport
{
    public const int FormatVersion = 2;

    public int Version { get; init; } = FormatVersion;

    public required string Input { get; init; }

    /// <summary>The parsed server name, or null when the input was not one.</summary>
    public string? ServerName { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required TimeSpan Duration { get; init; }

    /// <summary>True when the overall deadline cut the diagnosis short; the findings say what was missing.</summary>
    public bool TimedOut { get; init; }

    public DiscoveryResult? Discovery { get; init; }

    public IReadOnlyList<ConnectionReport> Connections { get; init; } = [];

    /// <summary>The client and support well-known files; null when not checked (e.g. invalid input, deadline).</summary>
    public ClientDiscoveryReport? Client { get; init; }

    /// <summary>
    /// The two-way check (does the server reach back to us and accept our signed request?); null when it did not get
    /// that far (invalid input, deadline). Its own verdict: it does not change <see cref="Verdict"/> (docs/two-way.md#verdict).
    /// </summary>
    public TwoWay.TwoWayReport? TwoWay { get; init; }

    /// <summary>
    /// Calls (MatrixRTC) readiness: where clients find the call infrastructure and whether it answers; null when not
    /// checked (invalid input, no usable client API, time ran out). Its own verdict, never part of <see cref="Verdict"/>.
    /// </summary>
    public MatrixRtcReport? MatrixRtc { get; init; }

    /// <summary>
    /// Login readiness (OAuth 2.0 / OIDC or the classic login API); null when not checked (invalid input, no usable
    /// client API, time ran out). Its own verdict, never part of <see cref="Verdict"/>.
    /// </summary>
    public Client.AuthReport? Auth { get; init; }

    /// <summary>Every finding of the diagnosis, errors first.</summary>
    public required IReadOnlyList<Finding> Findings { get; init; }

    public required Verdict Verdict { get; init; }

    /// <summary>
    /// What was left out to keep the report under the size ceiling (<see cref="DiagnosisOptions.MaxReportBytes"/>),
    /// in plain words, largest evidence first; null for every report that fit (<see cref="ReportBudget"/>).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Trimmed { get; init; }
}
