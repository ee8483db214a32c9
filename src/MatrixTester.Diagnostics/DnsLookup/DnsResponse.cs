namespace MatrixTester.Diagnostics.DnsLookup;

/// <summary>A validated response to one of our queries. <see cref="Answers"/> holds A, AAAA, CNAME and SRV records only.</summary>
public sealed record DnsResponse(ushort Id, bool Truncated, bool Authoritative, int Rcode, IReadOnlyList<DnsRecord> Answers);
