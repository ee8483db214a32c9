using System.Text.Json.Serialization;
using MatrixTester.Diagnostics.Discovery;
using MatrixTester.Diagnostics.DnsLookup;
using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.Reports;

/// <summary>
/// One streamed step of a diagnosis. <see cref="At"/> is the time since the diagnosis started; <see cref="Stage"/>
/// groups steps on the page (server-name, well-known, dns, srv, endpoints, connection, client, calls, login, done;
/// "wait" marks what the diagnosis is waiting on). The JSON
/// "kind" discriminator doubles as the server-sent event type.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(ProgressEvent), "progress")]
[JsonDerivedType(typeof(WaitEvent), "wait")]
[JsonDerivedType(typeof(ServerNameEvent), "server-name")]
[JsonDerivedType(typeof(DnsQueryEvent), "dns")]
[JsonDerivedType(typeof(WellKnownEvent), "well-known")]
[JsonDerivedType(typeof(SrvEvent), "srv")]
[JsonDerivedType(typeof(EndpointsEvent), "endpoints")]
[JsonDerivedType(typeof(ConnectionEvent), "connection")]
[JsonDerivedType(typeof(ClientDiscoveryEvent), "client")]
[JsonDerivedType(typeof(MatrixRtcEvent), "calls")]
[JsonDerivedType(typeof(AuthEvent), "login")]
[JsonDerivedType(typeof(TwoWayWaitingEvent), "two-way-waiting")]
[JsonDerivedType(typeof(TwoWayInboundEvent), "two-way-inbound")]
[JsonDerivedType(typeof(TwoWayEvent), "two-way")]
[JsonDerivedType(typeof(TokenCheckWaitingEvent), "rtc-token-waiting")]
[JsonDerivedType(typeof(TokenCheckCallbackEvent), "rtc-token-callback")]
[JsonDerivedType(typeof(TokenCheckEvent), "rtc-token")]
[JsonDerivedType(typeof(CompletedEvent), "completed")]
public abstract record DiagnosisEvent
{
    public TimeSpan At { get; init; }

    public abstract string Stage { get; }

    /// <summary>One line for the live view: what this step found.</summary>
    public abstract string Summary { get; }

    public IReadOnlyList<Finding> Findings { get; init; } = [];
}

/// <summary>"Now checking …": a step has started and others wait on it.</summary>
public sealed record ProgressEvent(string Message) : DiagnosisEvent
{
    public override string Stage => "progress";

    public override string Summary => Message;
}

public sealed record ServerNameEvent(string Input, string? Host, int? Port, ServerNameKind? NameKind, bool Valid) : DiagnosisEvent
{
    public override string Stage => "server-name";

    public override string Summary => Valid
        ? $"{Input} is a valid server name ({NameKind switch { ServerNameKind.IPv4 => "IPv4 literal", ServerNameKind.IPv6 => "IPv6 literal", _ => "DNS name" }}{(Port is { } p ? $", port {p}" : "")})"
        : $"{Input} is not a valid server name";
}

/// <summary>A DNS query finished. <see cref="Purpose"/> says why it was made ("addresses of the server name").</summary>
public sealed record DnsQueryEvent(DnsAnswer Answer, string Purpose) : DiagnosisEvent
{
    public override string Stage => "dns";

    public override string Summary => Answer.Outcome switch
    {
        DnsOutcome.NoError when Answer.Records.Count == 0 => $"{Answer.Type} {Answer.QueryName}: no records",
        DnsOutcome.NoError => $"{Answer.Type} {Answer.QueryName}: {string.Join(", ", Answer.Records.Select(Describe))}",
        _ => $"{Answer.Type} {Answer.QueryName}: {DnsStatus.Of(Answer)}",
    };

    private static string Describe(DnsRecord record) => record switch
    {
        AddressRecord a => a.Address.ToString(),
        SrvRecord s => $"{s.Target}:{s.Port} (priority {s.Priority}, weight {s.Weight})",
        CnameRecord c => $"alias of {c.Target}",
        _ => record.ToString(),
    };
}

public sealed record WellKnownEvent(WellKnownResult Result) : DiagnosisEvent
{
    public override string Stage => "well-known";

    public override string Summary => Result.Describe();
}

public sealed record SrvEvent(SrvResult Result) : DiagnosisEvent
{
    public override string Stage => "srv";

    public override string Summary => Result.Describe();
}

public sealed record EndpointsEvent(DiscoveryResult Discovery) : DiagnosisEvent
{
    public override string Stage => "endpoints";

    public override string Summary => Discovery.Endpoints.Count == 0
        ? "No address to connect to"
        : $"Step {Discovery.Endpoints[0].StepNumber}: {Discovery.Endpoints[0].Step.Describe()}: {string.Join(", ", Discovery.Endpoints.Select(e => e.Key))}";
}

/// <summary>All checks of one address (TLS, /version, /key/v2/server) finished.</summary>
public sealed record ConnectionEvent(ConnectionReport Connection) : DiagnosisEvent
{
    public override string Stage => "connection";

    public override string Summary => Connection.Describe();
}

/// <summary>The client and support well-known files (never part of the federation verdict).</summary>
public sealed record ClientDiscoveryEvent(ClientDiscoveryReport Client) : DiagnosisEvent
{
    public override string Stage => "client";

    public override string Summary => Client.Describe();
}

public sealed record CompletedEvent(DiagnosisReport Report) : DiagnosisEvent
{
    public override string Stage => "done";

    public override string Summary => Report.Verdict.Summary;
}
