using MatrixTester.Diagnostics.DnsLookup;
using MatrixTester.Lab.Dns;

namespace MatrixTester.Diagnostics.Tests.DnsLookup;

/// <summary>The lab server itself must behave like a real one, or the client tests prove nothing.</summary>
public sealed class LabDnsServerTests
{
    [Theory]
    [InlineData(false, LabTransport.Udp, true)]  // 40 A records are ~700 bytes: over the classic 512
    [InlineData(true, LabTransport.Udp, false)]  // within the 1232 bytes our EDNS0 query offers
    [InlineData(false, LabTransport.Tcp, false)] // TCP is never truncated
    public void Udp_answers_are_truncated_at_512_bytes_unless_edns_offers_more(bool edns, LabTransport transport, bool truncated)
    {
        var zone = new LabZone();
        for (var i = 1; i <= 40; i++)
        {
            zone.A("big.example.test", $"127.0.2.{i}");
        }
        var query = DnsQueryWriter.Build(7, "big.example.test", DnsRecordType.A, edns);

        var reply = LabResponder.Respond(zone, LabResponder.ParseQuery(query)!, transport)!;
        var response = DnsResponseParser.Parse(reply, 7, "big.example.test", DnsRecordType.A, out _)!;

        Assert.Equal(truncated, response.Truncated);
        Assert.Equal(truncated ? 0 : 40, response.Answers.Count);
        Assert.True(transport == LabTransport.Tcp || reply.Length <= (edns ? 1232 : 512), $"{reply.Length} bytes over UDP");
    }

    [Fact]
    public async Task Truncating_server_without_tcp_is_a_network_error_that_names_tcp()
    {
        await using var server = new LabDnsServer { TcpEnabled = false };
        server.Zone.A("matrix.example.test", "127.0.0.5").ForceTruncate("matrix.example.test");

        var answer = await LabClient.For(server.EndPoint).Ask("matrix.example.test", DnsRecordType.A);

        Assert.Equal(DnsOutcome.NetworkError, answer.Outcome);
        Assert.Contains("over TCP", answer.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Response_delay_longer_than_the_client_timeout_turns_an_answer_into_a_timeout()
    {
        await using var server = new LabDnsServer { ResponseDelay = TimeSpan.FromSeconds(3) };
        server.Zone.A("matrix.example.test", "127.0.0.5");

        var answer = await LabClient.For(LabClient.Short, server.EndPoint).Ask("matrix.example.test", DnsRecordType.A);

        Assert.Equal(DnsOutcome.Timeout, answer.Outcome);
        Assert.Single(server.QueryLog);
    }

    [Fact]
    public async Task Zone_accepts_concurrent_changes_without_losing_any()
    {
        var zone = new LabZone();

        await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 250; i++)
            {
                zone.A("busy.example.test", $"10.{t}.{i / 256}.{i % 256}");
            }
        }, TestContext.Current.CancellationToken)));

        Assert.Equal(1000, zone.Find("busy.example.test")!.Records.Count);
    }

    [Fact]
    public void Rcode_applies_to_every_type_and_removing_a_name_makes_it_nxdomain()
    {
        var zone = new LabZone().A("x.example.test", "127.0.0.5").Rcode("x.example.test", LabRcode.Refused);
        var srvQuery = LabResponder.ParseQuery(DnsQueryWriter.Build(9, "x.example.test", DnsRecordType.SRV, false))!;

        var refused = DnsResponseParser.Parse(LabResponder.Respond(zone, srvQuery, LabTransport.Udp)!, 9, "x.example.test", DnsRecordType.SRV, out _)!;
        zone.Remove("x.example.test");
        var missing = DnsResponseParser.Parse(LabResponder.Respond(zone, srvQuery, LabTransport.Udp)!, 9, "x.example.test", DnsRecordType.SRV, out _)!;

        Assert.Equal(5, refused.Rcode);
        Assert.Equal(3, missing.Rcode);
    }
}
