using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using MatrixTester.Diagnostics.DnsLookup;

namespace MatrixTester.Lab.Dns;

/// <summary>What the lab knows about one name: its records and any behaviour override.</summary>
public sealed record LabName(ImmutableList<DnsRecord> Records, int? Rcode = null, bool Drop = false, LabMalformation? Malformation = null, bool ForceTruncate = false);

/// <summary>
/// The lab's DNS data, described in code: <c>zone.A("matrix.example.test", "127.0.0.5")</c>. Safe to change while a
/// server answers from it: writers swap an immutable snapshot under a lock; readers never block.
/// </summary>
public sealed class LabZone
{
    private const uint DefaultTtl = 300;
    private readonly Lock gate = new();
    private ImmutableDictionary<string, LabName> names = ImmutableDictionary<string, LabName>.Empty;

    /// <summary>
    /// When true (the default) the server chases CNAMEs to in-zone targets, as an authoritative server does
    /// (RFC 1034 section 4.3.2 step 3a). When false it returns only the CNAME, like a server whose target lives in
    /// another zone, so the client must ask for the target itself.
    /// </summary>
    public bool ChaseCnames { get; set; } = true;

    public LabZone A(string name, string address, uint ttl = DefaultTtl) =>
        Add(name, new AddressRecord(Key(name), ttl, Parse(address, AddressFamily.InterNetwork)));

    public LabZone Aaaa(string name, string address, uint ttl = DefaultTtl) =>
        Add(name, new AddressRecord(Key(name), ttl, Parse(address, AddressFamily.InterNetworkV6)));

    public LabZone Cname(string name, string target, uint ttl = DefaultTtl) =>
        Add(name, new CnameRecord(Key(name), ttl, DnsNames.Normalize(target)));

    public LabZone Srv(string name, string target, ushort port, ushort priority = 0, ushort weight = 0, uint ttl = DefaultTtl) =>
        Add(name, new SrvRecord(Key(name), ttl, priority, weight, port, DnsNames.Normalize(target)));

    /// <summary>A record of any other type, e.g. TXT (16), to check the client skips what it does not decode.</summary>
    public LabZone Raw(string name, ushort type, byte[] data, uint ttl = DefaultTtl) =>
        Add(name, new LabRawRecord(Key(name), ttl, type, data));

    /// <summary>Every query for the name, whatever its type, gets this RCODE and no records.</summary>
    public LabZone Rcode(string name, LabRcode rcode) => Rcode(name, (int)rcode);

    public LabZone Rcode(string name, int rcode) => Update(name, n => n with { Rcode = rcode });

    /// <summary>Queries for the name are never answered, so the client times out.</summary>
    public LabZone Drop(string name) => Update(name, n => n with { Drop = true });

    public LabZone Malformed(string name, LabMalformation kind) => Update(name, n => n with { Malformation = kind });

    /// <summary>UDP answers for the name always have TC=1 and no records, whatever their size.</summary>
    public LabZone ForceTruncate(string name) => Update(name, n => n with { ForceTruncate = true });

    /// <summary>Forgets the name (it then answers NXDOMAIN).</summary>
    public LabZone Remove(string name)
    {
        lock (gate)
        {
            names = names.Remove(Key(name));
        }
        return this;
    }

    /// <summary>The name's current data, or null when it does not exist (NXDOMAIN).</summary>
    public LabName? Find(string name) => Volatile.Read(ref names).GetValueOrDefault(Key(name));

    private LabZone Add(string name, DnsRecord record) => Update(name, n => n with { Records = n.Records.Add(record) });

    private LabZone Update(string name, Func<LabName, LabName> change)
    {
        var key = Key(name);
        lock (gate)
        {
            var current = names.GetValueOrDefault(key) ?? new LabName([]);
            names = names.SetItem(key, change(current));
        }
        return this;
    }

    private static string Key(string name) => DnsNames.Normalize(name);

    private static IPAddress Parse(string address, AddressFamily family) =>
        IPAddress.TryParse(address, out var parsed) && parsed.AddressFamily == family
            ? parsed
            : throw new ArgumentException($"'{address}' is not an {(family == AddressFamily.InterNetwork ? "IPv4" : "IPv6")} address.", nameof(address));
}
