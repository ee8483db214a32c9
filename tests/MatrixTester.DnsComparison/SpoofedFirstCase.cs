using System.Net;
using System.Net.Sockets;
using DnsClient;
using MatrixTester.Lab.Dns;

namespace MatrixTester.DnsComparison;

/// <summary>
/// A blind spoofer's datagram (wrong ID) arrives just before the genuine answer, for every query. A client that
/// drops the stray datagram and keeps listening gets the real address; one that fails the query at once does not.
/// </summary>
internal static class SpoofedFirstCase
{
    private const string Name = "spoofed-first.example.test";

    public static async Task<(string Theirs, string Ours)> RunAsync()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var server = (IPEndPoint)socket.LocalEndPoint!;
        var zone = new LabZone().A(Name, "127.0.0.5");
        using var stop = new CancellationTokenSource();
        var serving = ServeAsync(socket, zone, stop.Token);

        var client = Clients.Theirs(server);
        var theirs = await Clients.DescribeAsync(() => client.QueryAsync(Name, QueryType.A), server);
        var ours = await Clients.OursAsync(server, Name);

        await stop.CancelAsync();
        await serving;
        return (theirs, ours);
    }

    /// <summary>Answers every query twice: first a forged copy with the wrong ID, then the real answer.</summary>
    private static async Task ServeAsync(Socket socket, LabZone zone, CancellationToken token)
    {
        var buffer = new byte[512];
        try
        {
            while (true)
            {
                var received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), token);
                if (LabResponder.ParseQuery(buffer.AsSpan(0, received.ReceivedBytes)) is not { } request)
                {
                    continue;
                }
                await socket.SendToAsync(LabMalformed.Build(LabMalformation.WrongId, request), SocketFlags.None, received.RemoteEndPoint, token);
                await socket.SendToAsync(LabResponder.Respond(zone, request, LabTransport.Udp)!, SocketFlags.None, received.RemoteEndPoint, token);
            }
        }
        catch (OperationCanceledException)
        {
            // Measurement over.
        }
    }
}
