using System.Net.Sockets;

namespace MatrixTester.Diagnostics.Tests.Federation;

/// <summary>
/// A lab raw-host handler that reads the ClientHello and never answers, and records when the client closes (read
/// returns 0) or resets its end of each connection: what "the tester closed its socket" looks like from the server.
/// </summary>
internal sealed class StalledTlsListener
{
    private readonly TaskCompletionSource _hello = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<Task> _closes = [];

    /// <summary>Completes when the first ClientHello bytes arrive.</summary>
    public Task HelloReceived => _hello.Task;

    public int Accepted
    {
        get
        {
            lock (_closes)
            {
                return _closes.Count;
            }
        }
    }

    /// <summary>Completes when every connection accepted so far has been closed by the client; false after <paramref name="bound"/>.</summary>
    public async Task<bool> AllClosedWithinAsync(TimeSpan bound)
    {
        Task all;
        lock (_closes)
        {
            all = Task.WhenAll(_closes);
        }
        return await Task.WhenAny(all, Task.Delay(bound, TestContext.Current.CancellationToken)) == all;
    }

    public async Task HandleAsync(Socket socket, CancellationToken stop)
    {
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_closes)
        {
            _closes.Add(closed.Task);
        }
        var buffer = new byte[4096];
        try
        {
            while (await socket.ReceiveAsync(buffer, stop) > 0)
            {
                _hello.TrySetResult();
            }
        }
        catch (SocketException)
        {
            // A reset is a close too.
        }
        // The lab stopping (stop cancelled, socket disposed) throws past this line: that is not the client's close.
        closed.TrySetResult();
    }
}
