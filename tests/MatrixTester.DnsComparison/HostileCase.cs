using DnsClient;
using MatrixTester.Lab.Dns;

namespace MatrixTester.DnsComparison;

/// <summary>One lab malformation, asked for as an A record by each client against a fresh lab server.</summary>
internal static class HostileCase
{
    public static async Task<(string Theirs, string Ours)> RunAsync(LabMalformation kind)
    {
        await using var server = new LabDnsServer();
        var name = kind.ToString().ToLowerInvariant() + ".example.test";
        server.Zone.Malformed(name, kind);
        var client = Clients.Theirs(server.EndPoint);
        var theirs = await Clients.DescribeAsync(() => client.QueryAsync(name, QueryType.A), server.EndPoint);
        var ours = await Clients.OursAsync(server.EndPoint, name);
        return (theirs, ours);
    }
}
