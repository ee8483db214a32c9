using System.Text.Json.Serialization;

namespace MatrixTester.Diagnostics.TwoWay;

/// <summary>The two-way verdict, separate from the federation verdict (docs/two-way.md#verdict says why).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TwoWayStatus>))]
public enum TwoWayStatus
{
    /// <summary>The target accepted our signed request and refused the same request with a wrong signature.</summary>
    Works,
    /// <summary>
    /// The target refused our signed request (401/403; its outbound federation or a proxy is at fault), hung on it
    /// without reaching us, or accepted a request with a wrong signature too (it checks no signatures).
    /// </summary>
    Broken,
    /// <summary>The target offers neither the directory query nor the notary API.</summary>
    Unsupported,
    /// <summary>This tester has no Matrix identity (<c>Federation:ServerName</c> unset, or the CLI).</summary>
    NotConfigured,
    /// <summary>Not run: no address served verifiable keys, the request could not be sent, or time ran out.</summary>
    Skipped,
}

/// <summary>What the notary probe (<c>POST /_matrix/key/v2/query</c>) showed.</summary>
/// <param name="Outcome">"Verified", "KeyMissing", "BadSignature", "Unsupported", "Failed".</param>
/// <param name="SignedByUs">The answer carried our probe key with a valid signature of ours.</param>
/// <param name="SignedByTarget">The answer was signed by the target with a key the diagnosis fetched from it.</param>
public sealed record NotaryReport(string Url, string Method, int? Status, string? Errcode, string Outcome, bool SignedByUs, bool SignedByTarget, string Detail);

/// <summary>The signed federation request and the target's answer.</summary>
public sealed record SignedRequestReport(string Url, int? Status, string? Errcode)
{
    /// <summary>The method and URI exactly as signed (what the target must see to verify our signature).</summary>
    public string SignedMethod { get; init; } = "GET";

    public string SignedUri { get; init; } = "";

    public string? Error { get; init; }

    /// <summary>The request was sent but no answer came within the request timeout.</summary>
    public bool TimedOut { get; init; }
}

/// <summary>
/// The control request: the signed request again (another random alias) with a signature that does not match it. A
/// server that checks signatures refuses it (401/403); one that answers the same to anything does not.
/// </summary>
/// <param name="Outcome">"Rejected" (401/403), "Accepted" (the answer a correctly signed request gets), "Inconclusive" (anything else).</param>
public sealed record ControlRequestReport(string Url, int? Status, string? Errcode, string Outcome)
{
    public string? Error { get; init; }

    public bool TimedOut { get; init; }
}

/// <summary>The two-way check in the v2 report: did the target reach back to us, and did it accept our signature?</summary>
public sealed record TwoWayReport(TwoWayStatus Status, string? ProbeKeyId, IReadOnlyList<InboundKeyRequest> Inbound, NotaryReport? Notary, SignedRequestReport? SignedRequest)
{
    /// <summary>The probe (and its key) came from an earlier check of the same target within the last minute; <see cref="Inbound"/> includes what that check caused.</summary>
    public bool ProbeReused { get; init; }

    /// <summary>The control request with a wrong signature; null when it was not sent (the signed request was not accepted).</summary>
    public ControlRequestReport? ControlRequest { get; init; }

    /// <summary>
    /// Requests for our keys from other addresses while the check ran. Anyone can fetch our keys, so they are only
    /// counted: never listed, quoted or used for the verdict.
    /// </summary>
    public int UnattributedFetches { get; init; }

    /// <summary>One line for the page and the CLI.</summary>
    public string Summary { get; init; } = "";

    /// <summary>The findings of the check (they are also in the report's findings list).</summary>
    [JsonIgnore]
    public IReadOnlyList<Findings.Finding> Findings { get; init; } = [];

    public static TwoWayReport NotConfigured { get; } = new(TwoWayStatus.NotConfigured, null, [], null, null)
    {
        Summary = "The two-way check is not configured on this tester",
        Findings = [TwoWayFindings.NotConfigured.Create(new Findings.Phrase("twoway.not_configured.Summary"), new Findings.Phrase("twoway.not_configured.Detail"))],
    };

    /// <summary>
    /// <see cref="Summary"/> in the reader's language where it is one of ours without values (not configured); a
    /// summary that describes what a server did is kept as the report has it.
    /// </summary>
    public string Words() => Status == TwoWayStatus.NotConfigured ? EngineText.Get("twoway.not_configured.Summary") : Summary;

    public static TwoWayReport Skipped(string why) => new(TwoWayStatus.Skipped, null, [], null, null) { Summary = why };
}
