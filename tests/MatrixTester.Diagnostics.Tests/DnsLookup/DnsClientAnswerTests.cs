using System.Net;
using MatrixTester.Diagnostics.DnsLookup;
using MatrixTester.Diagnostics.Tests.Timing;
using MatrixTester.Lab.Dns;

namespace MatrixTester.Diagnostics.Tests.DnsLookup;

/// <summary>The client against the lab's authoritative server: answers that succeed.</summary>
public sealed class DnsClientAnswerTests
{
    [Fact]
    public async Task A_records_come_back_with_the_server_that_answered()
    {
        await using var server = new LabDnsServer();
        server.Zone.A("matrix.example.test", "127.0.0.5").A("matrix.example.test", "127.0.0.6");

        var answer = await LabClient.For(server.EndPoint).Ask("Matrix.Example.Test.", DnsRecordType.A);

        Assert.Equal(DnsOutcome.NoError, answer.Outcome);
        Assert.Equal("matrix.example.test", answer.QueryName);
        Assert.Equal([IPAddress.Parse("127.0.0.5"), IPAddress.Parse("127.0.0.6")], answer.Addresses);
        Assert.Equal(server.EndPoint.ToString(), answer.NameServer);
        Assert.Empty(answer.CnameChain);
        Assert.Null(answer.Error);
        Assert.Equal([new LabQuery("matrix.example.test", DnsRecordType.A, LabTransport.Udp)], server.QueryLog);
    }

    [Fact]
    public async Task Aaaa_query_returns_only_ipv6_addresses()
    {
        await using var server = new LabDnsServer();
        server.Zone.A("matrix.example.test", "127.0.0.5").Aaaa("matrix.example.test", "::1");

        var answer = await LabClient.For(server.EndPoint).Ask("matrix.example.test", DnsRecordType.AAAA);

        Assert.Equal([IPAddress.IPv6Loopback], answer.Addresses);
    }

    [Fact]
    public async Task Srv_records_keep_priority_weight_port_and_target()
    {
        await using var server = new LabDnsServer();
        server.Zone
            .Srv("_matrix-fed._tcp.example.test", "b.example.test", 8448, priority: 20, weight: 1)
            .Srv("_matrix-fed._tcp.example.test", "a.example.test.", 443, priority: 10, weight: 5);

        var answer = await LabClient.For(server.EndPoint).Ask("_matrix-fed._tcp.example.test", DnsRecordType.SRV);

        Assert.Equal(
            [
                new SrvRecord("_matrix-fed._tcp.example.test", 300, 20, 1, 8448, "b.example.test"),
                new SrvRecord("_matrix-fed._tcp.example.test", 300, 10, 5, 443, "a.example.test"),
            ],
            answer.SrvRecords);
    }

    [Fact]
    public async Task Srv_target_dot_means_no_service_and_is_reported_as_a_dot()
    {
        await using var server = new LabDnsServer();
        server.Zone.Srv("_matrix-fed._tcp.example.test", ".", 0);

        var answer = await LabClient.For(server.EndPoint).Ask("_matrix-fed._tcp.example.test", DnsRecordType.SRV);

        Assert.Equal(".", Assert.Single(answer.SrvRecords).Target);
    }

    [Fact]
    public async Task Cname_chain_in_one_response_is_reported_in_order_with_the_final_records()
    {
        await using var server = new LabDnsServer();
        server.Zone.Cname("example.test", "alias1.example.test").Cname("alias1.example.test", "alias2.example.test")
            .A("alias2.example.test", "127.0.0.9");

        var answer = await LabClient.For(server.EndPoint).Ask("example.test", DnsRecordType.A);

        Assert.Equal(DnsOutcome.NoError, answer.Outcome);
        Assert.Equal(["alias1.example.test", "alias2.example.test"], answer.CnameChain);
        Assert.Equal("alias2.example.test", answer.CanonicalName);
        Assert.Equal("alias2.example.test", Assert.Single(answer.Records).Name);
        Assert.Single(server.QueryLog); // the server chased the chain, so no further query was needed
    }

    [Fact]
    public async Task Cname_to_data_the_server_does_not_hold_is_followed_by_asking_for_the_target()
    {
        await using var server = new LabDnsServer();
        server.Zone.ChaseCnames = false;
        server.Zone.Cname("_matrix-fed._tcp.example.test", "_srv.hosting.test").Cname("_srv.hosting.test", "_final.hosting.test")
            .Srv("_final.hosting.test", "matrix.hosting.test", 8448);

        var answer = await LabClient.For(server.EndPoint).Ask("_matrix-fed._tcp.example.test", DnsRecordType.SRV);

        Assert.Equal(["_srv.hosting.test", "_final.hosting.test"], answer.CnameChain);
        Assert.Equal("matrix.hosting.test", Assert.Single(answer.SrvRecords).Target);
        Assert.Equal(["_matrix-fed._tcp.example.test", "_srv.hosting.test", "_final.hosting.test"], server.QueryLog.Select(q => q.Name));
    }

    [Fact]
    public async Task Cname_query_returns_the_alias_itself_without_following_it()
    {
        await using var server = new LabDnsServer();
        server.Zone.Cname("www.example.test", "example.test").A("example.test", "127.0.0.7");

        var answer = await LabClient.For(server.EndPoint).Ask("www.example.test", DnsRecordType.CNAME);

        Assert.Equal(new CnameRecord("www.example.test", 300, "example.test"), Assert.Single(answer.Records));
        Assert.Empty(answer.CnameChain);
    }

    [Fact]
    public async Task Truncated_udp_answer_is_retried_over_tcp()
    {
        await using var server = new LabDnsServer();
        server.Zone.A("matrix.example.test", "127.0.0.5").ForceTruncate("matrix.example.test");

        var answer = await LabClient.For(server.EndPoint).Ask("matrix.example.test", DnsRecordType.A);

        Assert.Equal([IPAddress.Parse("127.0.0.5")], answer.Addresses);
        Assert.Equal([LabTransport.Udp, LabTransport.Tcp], server.QueryLog.Select(q => q.Transport));
    }

    [Fact]
    public async Task Answer_larger_than_the_edns_buffer_arrives_complete_over_tcp()
    {
        await using var server = new LabDnsServer();
        for (var i = 1; i <= 100; i++)
        {
            server.Zone.A("many.example.test", $"127.0.1.{i}"); // 100 * 16 bytes > 1232
        }

        var answer = await LabClient.For(server.EndPoint).Ask("many.example.test", DnsRecordType.A);

        Assert.Equal(100, answer.Addresses.Distinct().Count());
        Assert.Equal([LabTransport.Udp, LabTransport.Tcp], server.QueryLog.Select(q => q.Transport));
    }

    [Fact]
    public async Task Records_added_while_the_server_runs_are_served_and_nothing_is_cached()
    {
        await using var server = new LabDnsServer();
        var client = LabClient.For(server.EndPoint);
        var before = await client.Ask("late.example.test", DnsRecordType.A);

        server.Zone.A("late.example.test", "127.0.0.8");
        var after = await client.Ask("late.example.test", DnsRecordType.A);

        Assert.Equal(DnsOutcome.NxDomain, before.Outcome);
        Assert.Equal([IPAddress.Parse("127.0.0.8")], after.Addresses);
        Assert.Equal(2, server.QueryLog.Count);
    }

    [Fact]
    public async Task Elapsed_time_comes_from_the_injected_clock()
    {
        await using var server = new LabDnsServer();
        server.Zone.A("matrix.example.test", "127.0.0.5");
        var client = new DnsClient([server.EndPoint], LabClient.Generous, LabClock.StoppedNow());

        var answer = await client.Ask("matrix.example.test", DnsRecordType.A);

        Assert.Equal(DnsOutcome.NoError, answer.Outcome);
        Assert.Equal(TimeSpan.Zero, answer.Elapsed); // a Stopwatch would have seen the real round trip
    }
}
