using System.Net;
using System.Net.Sockets;

namespace MatrixTester.Lab.Hosts;

/// <summary>
/// An address:port whose TCP connects never complete: a firewall that drops packets, emulated on loopback. The
/// listener has an accept queue of one that a filler connection occupies and nobody accepts, so Linux drops every
/// further SYN (the client retransmits until its own connect timeout), unlike <c>Silent</c>, which completes the
/// TCP handshake and then stays quiet.
/// </summary>
public sealed class LabBlackhole : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly Socket _filler;

    private LabBlackhole(Socket listener, Socket filler, IPEndPoint endPoint)
    {
        _listener = listener;
        _filler = filler;
        EndPoint = endPoint;
    }

    public IPEndPoint EndPoint { get; }

    public static async Task<LabBlackhole> StartAsync(IPEndPoint endPoint)
    {
        var listener = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(endPoint);
        listener.Listen(0);
        var filler = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await filler.ConnectAsync(listener.LocalEndPoint!);
        return new LabBlackhole(listener, filler, (IPEndPoint)listener.LocalEndPoint!);
    }

    public ValueTask DisposeAsync()
    {
        _filler.Dispose();
        _listener.Dispose();
        return ValueTask.CompletedTask;
    }
}
