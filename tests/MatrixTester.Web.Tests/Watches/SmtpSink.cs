using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MatrixTester.Lab;
using MimeKit;

namespace MatrixTester.Web.Tests.Watches;

/// <summary>
/// A real SMTP server process: Debian's python3-aiosmtpd on 127.0.0.1 and a free port, writing every message it
/// accepts to a directory, from which the tests read them back with MimeKit. Stopped (killed) on dispose.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    // The handler writes to a temporary name and renames, so a reader never sees half a message.
    private const string Script = """
        import os, sys, time
        from aiosmtpd.controller import Controller
        port, out = int(sys.argv[1]), sys.argv[2]
        class Sink:
            async def handle_DATA(self, server, session, envelope):
                path = os.path.join(out, "%d.eml" % time.time_ns())
                with open(path + ".tmp", "wb") as f:
                    f.write(envelope.original_content or envelope.content)
                os.rename(path + ".tmp", path)
                print("received", flush=True)
                return "250 OK"
        controller = Controller(Sink(), hostname="127.0.0.1", port=port)
        controller.start()
        print("ready", flush=True)
        sys.stdin.read()
        controller.stop()
        """;

    private readonly Process _process;
    private readonly Arrivals _arrivals = new();

    private SmtpSink(Process process, int port, string directory)
    {
        _process = process;
        Port = port;
        Directory = directory;
        _ = CountReceivedAsync();
    }

    // The sink prints one line per message once its file is in place: each is an arrival.
    private async Task CountReceivedAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line == "received")
            {
                _arrivals.Add();
            }
        }
    }

    public int Port { get; }

    public string Directory { get; }

    public static async Task<SmtpSink> StartAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "matrixtester-mail-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var port = FreePort();
        var start = new ProcessStartInfo(Prerequisite.PythonPath) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Script);
        start.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        start.ArgumentList.Add(directory);
        var process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        var ready = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));
        if (ready != "ready")
        {
            throw new InvalidOperationException("aiosmtpd did not start: " + await process.StandardError.ReadToEndAsync());
        }
        return new SmtpSink(process, port, directory);
    }

    /// <summary>Every message received so far, oldest first.</summary>
    public IReadOnlyList<MimeMessage> Messages() =>
        [.. System.IO.Directory.GetFiles(Directory, "*.eml").Order(StringComparer.Ordinal).Select(path => MimeMessage.Load(path))];

    /// <summary>The messages once at least <paramref name="count"/> arrived, or those there are after <paramref name="timeout"/>.</summary>
    public async Task<IReadOnlyList<MimeMessage>> WaitForAsync(int count, TimeSpan timeout)
    {
        await _arrivals.WaitForAsync(count, timeout);
        return Messages();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5_000);
        }
        _process.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
        return ValueTask.CompletedTask;
    }
}
