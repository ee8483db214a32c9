using System.Net;
using MatrixTester.Diagnostics.DnsLookup;
using MatrixTester.Lab.Dns;

namespace MatrixTester.Diagnostics.Tests.DnsLookup;

/// <summary>The client against the lab: every way a lookup can fail comes back as data naming what happened.</summary>
public sealed class DnsClientFailureTests
{
    [Theory]
    [InlineData(LabRcode.ServFail, DnsOutcome.ServFail, "SERVFAIL")]
    [InlineData(LabRcode.Refused, DnsOutcome.Refused, "REFUSED")]
    [InlineData(LabRcode.NotImp, DnsOutcome.OtherRcode, "NOTIMP")]
    [InlineData(LabRcode.FormErr, DnsOutcome.OtherRcode, "FORMERR")]
    public async Task Error_rcodes_map_to_outcomes_and_keep_the_raw_rcode(LabRcode rcode, DnsOutcome expected, string text)
    {
        await using var server = new LabDnsServer();
        server.Zone.A("broken.example.test", "127.0.0.5").Rcode("broken.example.test", rcode);

        var answer = await LabClient.For(server.EndPoint).Ask("broken.example.test", DnsRecordType.A);

        Assert.Equal(expected, answer.Outcome);
        Assert.Equal((int)rcode, answer.Rcode);
        Assert.Empty(answer.Records);
        Assert.Contains(text, answer.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_name_is_nxdomain_but_a_name_without_that_type_is_nodata()
    {
        await using var server = new LabDnsServer();
        server.Zone.A("v4only.example.test", "127.0.0.5");
        var client = LabClient.For(server.EndPoint);

        var missing = await client.Ask("missing.example.test", DnsRecordType.A);
        var noData = await client.Ask("v4only.example.test", DnsRecordType.AAAA);

        Assert.Equal((DnsOutcome.NxDomain, 3), (missing.Outcome, missing.Rcode));
        Assert.Equal((DnsOutcome.NoError, 0), (noData.Outcome, noData.Rcode));
        Assert.Empty(noData.Records);
    }

    [Fact]
    public async Task Cname_to_a_missing_name_reports_nxdomain_with_the_chain()
    {
        await using var server = new LabDnsServer();
        server.Zone.Cname("example.test", "gone.example.test");

        var answer = await LabClient.For(server.EndPoint).Ask("example.test", DnsRecordType.A);

        Assert.Equal(DnsOutcome.NxDomain, answer.Outcome);
        Assert.Equal(["gone.example.test"], answer.CnameChain);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Cname_loop_is_detected_whether_inside_one_response_or_across_queries(bool serverChases)
    {
        await using var server = new LabDnsServer();
        server.Zone.ChaseCnames = serverChases;
        server.Zone.Cname("a.example.test", "b.example.test").Cname("b.example.test", "a.example.test");

        var answer = await LabClient.For(server.EndPoint).Ask("a.example.test", DnsRecordType.A);

        Assert.Equal(DnsOutcome.CnameLoop, answer.Outcome);
        Assert.Equal(["b.example.test"], answer.CnameChain);
        Assert.Contains("a.example.test -> b.example.test -> a.example.test", answer.Error, StringComparison.Ordinal);
        Assert.Equal(serverChases ? 1 : 2, server.QueryLog.Count);
    }

    [Fact]
    public async Task Cname_chain_longer_than_the_limit_is_reported_as_a_loop()
    {
        await using var server = new LabDnsServer();
        for (var i = 0; i <= DnsClient.MaxCnameHops; i++)
        {
            server.Zone.Cname($"c{i}.example.test", $"c{i + 1}.example.test");
        }
        server.Zone.A($"c{DnsClient.MaxCnameHops + 1}.example.test", "127.0.0.5");

        var answer = await LabClient.For(server.EndPoint).Ask("c0.example.test", DnsRecordType.A);

        Assert.Equal(DnsOutcome.CnameLoop, answer.Outcome);
        Assert.Contains("longer than", answer.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Silent_server_is_a_timeout_naming_the_server_and_the_wait()
    {
        await using var server = new LabDnsServer();
        server.Zone.Drop("slow.example.test");

        var answer = await LabClient.For(LabClient.Short, server.EndPoint).Ask("slow.example.test", DnsRecordType.A);

        Assert.Equal(DnsOutcome.Timeout, answer.Outcome);
        Assert.Equal(DnsClient.NoRcode, answer.Rcode);
        // The wait is what was left of the 300 ms budget when the query went out (a few ms may already be spent).
        Assert.Matches($@"^no response from {System.Text.RegularExpressions.Regex.Escape(server.EndPoint.ToString())} within (2[5-9][0-9]|300) ms$", answer.Error);
    }

    [Fact]
    public async Task Second_server_answers_when_the_first_times_out()
    {
        await using var silent = new LabDnsServer();
        await using var working = new LabDnsServer(address: IPAddress.Parse("127.0.0.2"));
        silent.Zone.Drop("matrix.example.test");
        working.Zone.A("matrix.example.test", "127.0.0.5");

        var answer = await LabClient.For(TimeSpan.FromSeconds(2), silent.EndPoint, working.EndPoint).Ask("matrix.example.test", DnsRecordType.A);

        Assert.Equal(DnsOutcome.NoError, answer.Outcome);
        Assert.Equal(working.EndPoint.ToString(), answer.NameServer);
        Assert.Single(silent.QueryLog);
        Assert.Single(working.QueryLog);
    }

    [Fact]
    public async Task Unreachable_server_is_a_network_error_and_the_next_server_is_tried()
    {
        IPEndPoint closed;
        await using (var gone = new LabDnsServer())
        {
            closed = gone.EndPoint;
        }
        await using var working = new LabDnsServer();
        working.Zone.A("matrix.example.test", "127.0.0.5");

        var alone = await LabClient.For(closed).Ask("matrix.example.test", DnsRecordType.A);
        var withBackup = await LabClient.For(closed, working.EndPoint).Ask("matrix.example.test", DnsRecordType.A);

        Assert.Equal(DnsOutcome.NetworkError, alone.Outcome);
        Assert.Contains(closed.ToString(), alone.Error, StringComparison.Ordinal);
        Assert.Equal(DnsOutcome.NoError, withBackup.Outcome);
    }

    [Fact]
    public async Task Without_name_servers_nothing_is_asked_and_the_outcome_says_so()
    {
        var answer = await LabClient.For([]).Ask("matrix.example.test", DnsRecordType.A);

        Assert.Equal(DnsOutcome.NoNameServers, answer.Outcome);
        Assert.Null(answer.NameServer);
        Assert.Contains("Diagnosis:NameServers", answer.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Caller_cancellation_throws_while_the_timeout_does_not()
    {
        await using var server = new LabDnsServer();
        server.Zone.Drop("slow.example.test");
        var asked = server.Watch("slow.example.test", DnsRecordType.A);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var client = LabClient.For(server.EndPoint);

        var query = client.QueryAsync("slow.example.test", DnsRecordType.A, cts.Token);
        await asked.Arrived.WaitAsync(TestContext.Current.CancellationToken);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => query);
    }
}
