using System.Net;
using MatrixTester.Diagnostics.DnsLookup;

namespace MatrixTester.Diagnostics.Tests.DnsLookup;

internal static class LabClient
{
    /// <summary>Long enough never to fire in a healthy run; tests about timeouts pass their own.</summary>
    public static readonly TimeSpan Generous = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan Short = TimeSpan.FromMilliseconds(300);

    public static DnsClient For(params IPEndPoint[] servers) => new(servers, Generous, TimeProvider.System);

    public static DnsClient For(TimeSpan timeout, params IPEndPoint[] servers) => new(servers, timeout, TimeProvider.System);

    public static Task<DnsAnswer> Ask(this DnsClient client, string name, DnsRecordType type) =>
        client.QueryAsync(name, type, TestContext.Current.CancellationToken);
}
