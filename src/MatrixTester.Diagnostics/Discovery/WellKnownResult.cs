using System.Net;
using System.Text.Json.Serialization;
using MatrixTester.Diagnostics.DnsLookup;
using MatrixTester.Diagnostics.Federation;
using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.Discovery;

[JsonConverter(typeof(JsonStringEnumConverter<WellKnownOutcome>))]
public enum WellKnownOutcome
{
    /// <summary>A valid <c>m.server</c>: discovery continues at step 3.1–3.5.</summary>
    Delegated,
    /// <summary>HTTP 404: no delegation (normal when the homeserver answers on the server name itself).</summary>
    NotFound,
    /// <summary>The well-known was not fetched (IP literal or explicit port: spec steps 1 and 2).</summary>
    NotApplicable,
    /// <summary>No address to fetch it from, or every address was refused.</summary>
    NoAddress,
    ConnectionFailed,
    CertificateInvalid,
    Timeout,
    HttpError,
    TooLarge,
    InvalidJson,
    NotAnObject,
    MissingMServer,
    /// <summary><c>m.server</c> is present but not a valid server name (an error for real homeservers).</summary>
    InvalidMServer,
    /// <summary><c>m.server</c> is an empty string (Synapse treats it as no delegation).</summary>
    EmptyMServer,
    TooManyRedirects,
    RedirectLoop,
    BadRedirect,
    /// <summary><c>m.server</c> has non-ASCII characters: Synapse ignores the delegation and goes on at step 4.</summary>
    NonAsciiMServer,
}

/// <summary>The well-known as seen through one address of the server name, with every redirect hop.</summary>
public sealed record WellKnownAttempt(
    [property: JsonConverter(typeof(IPAddressJsonConverter))] IPAddress Address,
    WellKnownOutcome Outcome,
    string? MServer,
    IReadOnlyList<HttpExchange> Requests,
    string? Problem)
{
    /// <summary>A comparable form of the answer, for spotting addresses that disagree.</summary>
    public string AnswerKey => Outcome == WellKnownOutcome.Delegated ? $"m.server={MServer}" : Outcome.ToString();
}

/// <summary>
/// The server well-known as a homeserver would use it: the outcome that decides the next step, the delegated
/// name when there is one, the cache lifetime a homeserver would apply, and what each address answered.
/// </summary>
public sealed record WellKnownResult(
    WellKnownOutcome Outcome,
    string? MServer,
    ServerName? Delegated,
    TimeSpan CacheTtl,
    DateTimeOffset? CacheExpiresAt,
    IReadOnlyList<WellKnownAttempt> Attempts,
    IReadOnlyList<Finding> Findings)
{
    public bool IsDelegated => Outcome == WellKnownOutcome.Delegated && Delegated is not null;

    public string Describe() => Describe(english: true);

    /// <summary>The outcome in the reader's language (the live view).</summary>
    public string Words() => Describe(english: false);

    private string Describe(bool english) => EngineText.In(english, Outcome switch
    {
        WellKnownOutcome.Delegated => "event.wellknown.delegated",
        WellKnownOutcome.NotFound => "event.wellknown.not_found",
        WellKnownOutcome.NotApplicable => "event.wellknown.not_applicable",
        WellKnownOutcome.NoAddress => "event.wellknown.no_address",
        _ => "event.wellknown.unusable",
    }, ("server", MServer), ("outcome", english ? Outcome.Describe() : Outcome.Words()));
}
