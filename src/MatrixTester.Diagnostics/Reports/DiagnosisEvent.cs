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

    /// <summary>One line for the live view: what this step found, in English (the API's text).</summary>
    public abstract string Summary { get; }

    /// <summary>The same line in the reader's language (the live view shows it; <see cref="Summary"/> stays English).</summary>
    public virtual string Text => Summary;

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

    public override string Summary => Describe(english: true);

    public override string Text => Describe(english: false);

    private string Describe(bool english) => Valid
        ? EngineText.In(english, Port is null ? "event.name.valid" : "event.name.valid_port", ("input", Input), ("port", Port),
            ("kind", EngineText.In(english, NameKind switch { ServerNameKind.IPv4 => "event.name.ipv4", ServerNameKind.IPv6 => "event.name.ipv6", _ => "event.name.dns" })))
        : EngineText.In(english, "event.name.invalid", ("input", Input));
}

/// <summary>A DNS query finished. <see cref="Purpose"/> says why it was made ("addresses of the server name").</summary>
public sealed record DnsQueryEvent(DnsAnswer Answer, string Purpose) : DiagnosisEvent
{
    public override string Stage => "dns";

    public override string Summary => Describe(english: true);

    public override string Text => Describe(english: false);

    private string Describe(bool english) => $"{Answer.Type} {Answer.QueryName}: " + (Answer.Outcome switch
    {
        DnsOutcome.NoError when Answer.Records.Count == 0 => EngineText.In(english, "event.dns.no_records"),
        DnsOutcome.NoError => string.Join(", ", Answer.Records.Select(r => Describe(r, english))),
        _ => DnsStatus.Of(Answer),
    });

    private static string Describe(DnsRecord record, bool english) => record switch
    {
        AddressRecord a => a.Address.ToString(),
        SrvRecord s => EngineText.In(english, "event.dns.srv", ("target", $"{s.Target}:{s.Port}"), ("priority", s.Priority), ("weight", s.Weight)),
        CnameRecord c => EngineText.In(english, "event.dns.alias", ("target", c.Target)),
        _ => record.ToString(),
    };
}

public sealed record WellKnownEvent(WellKnownResult Result) : DiagnosisEvent
{
    public override string Stage => "well-known";

    public override string Summary => Result.Describe();

    public override string Text => Result.Words();
}

public sealed record SrvEvent(SrvResult Result) : DiagnosisEvent
{
    public override string Stage => "srv";

    public override string Summary => Result.Describe();

    public override string Text => Result.Words();
}

public sealed record EndpointsEvent(DiscoveryResult Discovery) : DiagnosisEvent
{
    public override string Stage => "endpoints";

    public override string Summary => Describe(english: true);

    public override string Text => Describe(english: false);

    private string Describe(bool english) => Discovery.Endpoints.Count == 0
        ? EngineText.In(english, "event.endpoints.none")
        : EngineText.In(english, "event.endpoints", ("step", Discovery.Endpoints[0].StepNumber),
            ("how", english ? Discovery.Endpoints[0].Step.Describe() : Discovery.Endpoints[0].Step.Words()), ("addresses", string.Join(", ", Discovery.Endpoints.Select(e => e.Key))));
}

/// <summary>All checks of one address (TLS, /version, /key/v2/server) finished.</summary>
public sealed record ConnectionEvent(ConnectionReport Connection) : DiagnosisEvent
{
    public override string Stage => "connection";

    public override string Summary => Connection.Describe();

    public override string Text => Connection.Words();
}

/// <summary>The client and support well-known files (never part of the federation verdict).</summary>
public sealed record ClientDiscoveryEvent(ClientDiscoveryReport Client) : DiagnosisEvent
{
    public override string Stage => "client";

    public override string Summary => Client.Describe();

    public override string Text => Client.Words();
}

public sealed record CompletedEvent(DiagnosisReport Report) : DiagnosisEvent
{
    public override string Stage => "done";

    public override string Summary => Report.Verdict.Summary;
}
