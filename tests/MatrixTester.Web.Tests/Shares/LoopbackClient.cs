using System.Net;
using System.Net.Sockets;

namespace MatrixTester.Web.Tests.Shares;

/// <summary>
/// HTTP clients that connect from a chosen loopback address (any of 127.0.0.0/8 on Linux): to a site on real sockets
/// each is a different client address, with no forwarded header involved.
/// </summary>
internal static class LoopbackClient
{
    public static HttpClient From(IPAddress source, Uri baseAddress)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(3) };
    }
}
