using System.Net;
using System.Text.Json.Serialization;

namespace MatrixTester.Diagnostics.DnsLookup;

[JsonConverter(typeof(JsonStringEnumConverter<DnsRecordType>))]
public enum DnsRecordType : ushort
{
    A = 1,
    CNAME = 5,
    AAAA = 28,
    SRV = 33,
}

/// <summary>How a query ended. NXDOMAIN, SERVFAIL, REFUSED and a timeout mean different things to an admin.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DnsOutcome>))]
public enum DnsOutcome
{
    /// <summary>RCODE 0. The name exists; <see cref="DnsAnswer.Records"/> may still be empty (NODATA).</summary>
    NoError,
    NxDomain,
    ServFail,
    Refused,
    /// <summary>Any other RCODE (FORMERR, NOTIMP, …); see <see cref="DnsAnswer.Rcode"/>.</summary>
    OtherRcode,
    Timeout,
    /// <summary>The name server could not be reached (ICMP unreachable, TCP refused, …).</summary>
    NetworkError,
    /// <summary>A response arrived but failed validation (wrong ID or question, bad compression, truncated data).</summary>
    MalformedResponse,
    /// <summary>CNAMEs formed a loop or a chain too long to follow.</summary>
    CnameLoop,
    /// <summary>No name server is configured.</summary>
    NoNameServers,
}

[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(AddressRecord), "address")]
[JsonDerivedType(typeof(CnameRecord), "CNAME")]
[JsonDerivedType(typeof(SrvRecord), "SRV")]
public abstract record DnsRecord(string Name, uint Ttl);

/// <summary>An A or AAAA record.</summary>
public sealed record AddressRecord(string Name, uint Ttl, [property: JsonConverter(typeof(IPAddressJsonConverter))] IPAddress Address) : DnsRecord(Name, Ttl);

public sealed record CnameRecord(string Name, uint Ttl, string Target) : DnsRecord(Name, Ttl);

/// <summary>
/// An SRV record (RFC 2782). <see cref="SrvRecord.Target"/> is normalised like every name (lower-case, no trailing
/// dot) except the root, which stays "." so it remains distinguishable: a lone SRV record with target "." means
/// "the service is decidedly not offered at this domain".
/// </summary>
public sealed record SrvRecord(string Name, uint Ttl, ushort Priority, ushort Weight, ushort Port, string Target) : DnsRecord(Name, Ttl);

/// <summary>
/// The outcome of one query, after following CNAMEs. Names are lower-case and without a trailing dot.
/// <see cref="CnameChain"/> lists the aliases followed in order (empty when the name had none);
/// <see cref="Records"/> holds the records of the requested type at the end of the chain.
/// <see cref="Rcode"/> is the raw RCODE of the last response, or -1 (<see cref="DnsClient.NoRcode"/>) when none was received.
/// </summary>
public sealed record DnsAnswer(
    string QueryName,
    DnsRecordType Type,
    DnsOutcome Outcome,
    int Rcode,
    IReadOnlyList<DnsRecord> Records,
    IReadOnlyList<string> CnameChain,
    string? NameServer,
    TimeSpan Elapsed,
    string? Error)
{
    public bool IsSuccess => Outcome == DnsOutcome.NoError;

    /// <summary>When the query was sent, relative to the start of the diagnosis (for the timeline); null outside one.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public TimeSpan? StartedAt { get; init; }

    /// <summary>The name the records actually belong to: the last CNAME target, or the query name.</summary>
    public string CanonicalName => CnameChain.Count > 0 ? CnameChain[^1] : QueryName;

    [JsonIgnore]
    public IEnumerable<IPAddress> Addresses => Records.OfType<AddressRecord>().Select(r => r.Address);

    [JsonIgnore]
    public IEnumerable<SrvRecord> SrvRecords => Records.OfType<SrvRecord>();
}

/// <summary>The seam between the engine and DNS: the real client, or a per-diagnosis de-duplicating wrapper.</summary>
public interface IDnsResolver
{
    /// <summary>
    /// Query <paramref name="name"/> for <paramref name="type"/>. Never throws for DNS or network failures: they come
    /// back as an <see cref="DnsAnswer.Outcome"/>. Only cancellation of <paramref name="cancellationToken"/> throws.
    /// </summary>
    Task<DnsAnswer> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken);
}

public sealed class IPAddressJsonConverter : JsonConverter<IPAddress>
{
    public override IPAddress Read(ref System.Text.Json.Utf8JsonReader reader, Type typeToConvert, System.Text.Json.JsonSerializerOptions options) =>
        IPAddress.Parse(reader.GetString() ?? throw new System.Text.Json.JsonException("IP address expected"));

    public override void Write(System.Text.Json.Utf8JsonWriter writer, IPAddress value, System.Text.Json.JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
