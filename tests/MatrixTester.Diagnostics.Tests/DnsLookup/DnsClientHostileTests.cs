using System.Net;
using System.Net.Sockets;
using MatrixTester.Diagnostics.DnsLookup;
using MatrixTester.Lab.Dns;

namespace MatrixTester.Diagnostics.Tests.DnsLookup;

/// <summary>The client against servers that lie, loop or send garbage.</summary>
public sealed class DnsClientHostileTests
{
    [Theory]
    [InlineData(LabMalformation.CompressionLoop, "pointer")]
    [InlineData(LabMalformation.ForwardPointer, "points forward")]
    [InlineData(LabMalformation.PointerOutOfRange, "points forward")]
    [InlineData(LabMalformation.PointerPastEnd, "points forward to 256")]
    [InlineData(LabMalformation.TruncatedRdata, "declares 4 bytes")]
    [InlineData(LabMalformation.BadAddressLength, "exactly 4")]
    [InlineData(LabMalformation.AnswerCountTooHigh, "past the end")]
    [InlineData(LabMalformation.TruncatedHeader, "12-byte")]
    public async Task Malformed_answer_is_reported_as_malformed_with_the_reason(LabMalformation kind, string reason)
    {
        await using var server = new LabDnsServer();
        server.Zone.Malformed("evil.example.test", kind);

        var answer = await LabClient.For(server.EndPoint).Ask("evil.example.test", DnsRecordType.A);

        Assert.Equal(DnsOutcome.MalformedResponse, answer.Outcome);
        Assert.StartsWith($"{server.EndPoint} sent a malformed response", answer.Error, StringComparison.Ordinal);
        Assert.Contains(reason, answer.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(LabMalformation.WrongId, "instead of")]
    [InlineData(LabMalformation.WrongQuestion, "not-evil.example.test")]
    [InlineData(LabMalformation.NotAResponse, "QR bit")]
    public async Task Responses_not_matching_the_query_are_ignored_until_the_time_runs_out(LabMalformation kind, string reason)
    {
        await using var server = new LabDnsServer();
        server.Zone.Malformed("evil.example.test", kind);

        var answer = await LabClient.For(LabClient.Short, server.EndPoint).Ask("evil.example.test", DnsRecordType.A);

        Assert.Equal(DnsOutcome.MalformedResponse, answer.Outcome);
        Assert.Empty(answer.Records);
        Assert.Contains("ignored 1 that did not match", answer.Error, StringComparison.Ordinal);
        Assert.Contains(reason, answer.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_answer_from_the_first_server_makes_the_client_ask_the_next()
    {
        await using var evil = new LabDnsServer();
        await using var honest = new LabDnsServer();
        evil.Zone.Malformed("matrix.example.test", LabMalformation.CompressionLoop);
        honest.Zone.A("matrix.example.test", "127.0.0.5");

        var answer = await LabClient.For(evil.EndPoint, honest.EndPoint).Ask("matrix.example.test", DnsRecordType.A);

        Assert.Equal([IPAddress.Parse("127.0.0.5")], answer.Addresses);
        Assert.Equal(honest.EndPoint.ToString(), answer.NameServer);
    }

    [Fact]
    public async Task Spoofed_datagram_arriving_first_is_ignored_and_the_real_answer_is_used()
    {
        // A fake server that sends a forged answer (wrong ID, address 127.0.0.1) and then the genuine one.
        using var fake = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        fake.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var zone = new LabZone().A("matrix.example.test", "127.0.0.5");
        var serve = Task.Run(async () =>
        {
            var buffer = new byte[512];
            var ct = TestContext.Current.CancellationToken;
            var received = await fake.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), ct);
            var request = LabResponder.ParseQuery(buffer.AsSpan(0, received.ReceivedBytes))!;
            await fake.SendToAsync(LabMalformed.Build(LabMalformation.WrongId, request), SocketFlags.None, received.RemoteEndPoint, ct);
            await fake.SendToAsync(LabResponder.Respond(zone, request, LabTransport.Udp)!, SocketFlags.None, received.RemoteEndPoint, ct);
        }, TestContext.Current.CancellationToken);

        var answer = await LabClient.For((IPEndPoint)fake.LocalEndPoint!).Ask("matrix.example.test", DnsRecordType.A);
        await serve;

        Assert.Equal(DnsOutcome.NoError, answer.Outcome);
        Assert.Equal([IPAddress.Parse("127.0.0.5")], answer.Addresses);
    }
}
