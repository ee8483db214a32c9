using DnsClient;
using MatrixTester.Lab.Dns;

namespace MatrixTester.DnsComparison;

/// <summary>
/// A pointer past the end of a short answer, asked right after a longer answer whose bytes at the pointer's target
/// spell a name. A client that bounds pointers by its receive buffer instead of by the message reads that old name.
/// </summary>
internal static class StaleBufferCase
{
    public const int AsyncTries = 20;

    private const string Bait = "bait.example.test";
    private const string Hostile = "past-end.example.test";
    private const string LeftoverName = "left.over.from.the.previous.answer";
    private const ushort NullType = 10; // RFC 1035 NULL: any bytes, so the bait needs no structure

    public static async Task<(string Sync, string Async, string Ours)> RunAsync()
    {
        await using var server = new LabDnsServer();
        PlantBait(server.Zone);
        server.Zone.Malformed(Hostile, LabMalformation.PointerPastEnd);
        var client = Clients.Theirs(server.EndPoint);

        client.Query(Bait, QueryType.NULL);
        var sync = Clients.Describe(() => client.Query(Hostile, QueryType.A), server.EndPoint);

        var leaked = 0;
        var last = "";
        for (var i = 0; i < AsyncTries; i++)
        {
            await client.QueryAsync(Bait, QueryType.NULL);
            last = await Clients.DescribeAsync(() => client.QueryAsync(Hostile, QueryType.A), server.EndPoint);
            leaked += last.Contains(LeftoverName, StringComparison.Ordinal) ? 1 : 0;
        }
        var async = $"old name read in {leaked} of {AsyncTries}; last: {last}";
        var ours = await Clients.OursAsync(server.EndPoint, Hostile);
        return (sync, async, ours);
    }

    /// <summary>A NULL record padded so that <see cref="LeftoverName"/> starts exactly at the pointer's target.</summary>
    private static void PlantBait(LabZone zone)
    {
        var name = Wire(LeftoverName);
        zone.Raw(Bait, NullType, name);
        var request = new LabRequest(0, true, Bait, NullType, EdnsPayloadSize: 1232);
        var response = LabResponder.Respond(zone, request, LabTransport.Udp)!;
        var at = response.AsSpan().IndexOf(name);
        var padding = LabMalformed.PastEndOffset - at;
        if (at < 0 || padding < 0)
        {
            throw new InvalidOperationException($"The bait's name is at offset {at}, past the pointer's target {LabMalformed.PastEndOffset}.");
        }
        zone.Remove(Bait).Raw(Bait, NullType, [.. new byte[padding], .. name]);
    }

    private static byte[] Wire(string name) =>
        [.. name.Split('.').SelectMany(label => (byte[])[(byte)label.Length, .. label.Select(c => (byte)c)]), 0];

}
