using System.Text.Json.Serialization;
using MatrixTester.Diagnostics.DnsLookup;
using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.Discovery;

/// <summary>An SRV target with its own address lookups, or the address itself when the target is an IP literal.</summary>
public sealed record SrvTarget(SrvRecord Record, DnsAnswer? AddressesV6, DnsAnswer? AddressesV4,
    [property: JsonConverter(typeof(IPAddressJsonConverter))] System.Net.IPAddress? Literal = null)
{
    [JsonIgnore]
    public IEnumerable<System.Net.IPAddress> Addresses => Literal is { } literal
        ? [literal]
        : (AddressesV6?.Addresses ?? []).Concat(AddressesV4?.Addresses ?? []);

    /// <summary>RFC 2782: the target must not be an alias. Homeservers follow the CNAME anyway.</summary>
    public bool TargetIsCname => (AddressesV6?.CnameChain.Count ?? 0) > 0 || (AddressesV4?.CnameChain.Count ?? 0) > 0;
}

/// <summary>
/// The SRV lookups for one host: <c>_matrix-fed._tcp</c> first; the deprecated <c>_matrix._tcp</c> is used only when
/// no <c>_matrix-fed</c> record exists (spec steps 3.3/3.4 and 4/5).
/// </summary>
public sealed record SrvResult(
    string Host,
    DnsAnswer MatrixFed,
    DnsAnswer? Deprecated,
    [property: JsonConverter(typeof(JsonStringEnumConverter<SrvSource>))] SrvSource Used,
    IReadOnlyList<SrvTarget> Targets,
    IReadOnlyList<Finding> Findings)
{
    /// <summary>True when the lookups failed in a way that stops a homeserver (SERVFAIL, timeout, refused).</summary>
    public bool Failed => Findings.Any(f => f.Id == SrvFindings.LookupFailed.Id);

    /// <summary>The record set chosen, ordered by priority then weight.</summary>
    public IReadOnlyList<SrvRecord> Records => Targets.Select(t => t.Record).ToArray();

    public string Describe() => Describe(english: true);

    /// <summary>The result in the reader's language (the live view).</summary>
    public string Words() => Describe(english: false);

    private string Describe(bool english) => EngineText.In(english, Used switch
    {
        SrvSource.MatrixFed => "event.srv.matrix_fed",
        SrvSource.Deprecated => "event.srv.deprecated",
        SrvSource.NotOffered => "event.srv.not_offered",
        _ when Failed => "event.srv.failed",
        _ => "event.srv.none",
    }, ("host", Host), ("targets", string.Join(", ", Records.Select(r => $"{r.Target}:{r.Port}"))), ("status", DnsStatus.Of(MatrixFed)));
}

public enum SrvSource
{
    None,
    MatrixFed,
    Deprecated,
    NotOffered,
}
