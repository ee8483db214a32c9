using System.Net;
using System.Net.Sockets;

namespace MatrixTester.Web.Tests.Federation;

/// <summary>An HTTP client whose connections leave from a given loopback address: a distinct client (or peer) to the site.</summary>
internal static class ClientFrom
{
    public static HttpClient Create(IPAddress local, Uri baseAddress, string? userAgent = null)
    {
        var client = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(local, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        })
        { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(2) };
        if (userAgent is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", userAgent);
        }
        return client;
    }
}
