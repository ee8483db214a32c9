using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MatrixTester.Web.Tests;

/// <summary>
/// The site as a real child process: <c>dotnet MatrixTester.Web.dll</c> from the web project's build output,
/// configured only through environment variables, on 127.0.0.1 and a free port. <see cref="Kill"/> is SIGKILL, so
/// nothing gets a chance to flush: what survives is what was durably committed. Shared with the load benchmark.
/// </summary>
public sealed class SiteProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly List<(string Text, TaskCompletionSource Seen)> _waiters = [];
    private TaskCompletionSource _nextLine = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SiteProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }

    public int ProcessId => _process.Id;

    /// <summary>The last lines the site printed (for failure messages).</summary>
    public string Output
    {
        get { lock (_output) { return _output.ToString(); } }
    }

    /// <summary>Completes when the site prints a line containing <paramref name="text"/> (or has printed one already).</summary>
    public Task OutputContainsAsync(string text, CancellationToken cancellationToken)
    {
        lock (_output)
        {
            if (_output.ToString().Contains(text, StringComparison.Ordinal))
            {
                return Task.CompletedTask;
            }
            var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((text, seen));
            return seen.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Completes when the site prints its next line (take it before reading <see cref="Output"/>).</summary>
    public Task NextLine
    {
        get { lock (_output) { return _nextLine.Task; } }
    }

    /// <summary>Peak resident set size (VmHWM) in bytes, or 0 where /proc is not available.</summary>
    public long PeakRssBytes => ReadStatusKb("VmHWM:") * 1024;

    /// <summary>Resident set size now (VmRSS) in bytes, or 0 where /proc is not available.</summary>
    public long RssBytes => ReadStatusKb("VmRSS:") * 1024;

    /// <summary>The repository's top folder (where MatrixTester.sln is).</summary>
    public static DirectoryInfo RepositoryRoot()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "MatrixTester.sln")))
        {
            root = root.Parent;
        }
        return root ?? throw new InvalidOperationException("Run from inside the repository: MatrixTester.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The web project's MatrixTester.Web.dll for the configuration this code was built in.</summary>
    public static string WebDll()
    {
        var root = RepositoryRoot();
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var dll = Path.Combine(root.FullName, "src", "MatrixTester.Web", "bin", configuration, "net10.0", "MatrixTester.Web.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("Build the web project first (dotnet build).", dll);
    }

    /// <summary>
    /// Starts the site and waits until /healthz answers 200, or, with <paramref name="healthy"/> false (a test that
    /// starts it on a broken store on purpose), until it answers at all.
    /// </summary>
    public static async Task<SiteProcess> StartAsync(IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken, bool healthy = true)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnceAsync(environment, FreePort(), healthy, cancellationToken);
            }
            catch (InvalidOperationException ex) when (attempt < 3 && ex.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                // Another process took the port between the probe and the bind: pick another.
            }
        }
    }

    /// <summary>
    /// Starts the site and waits until it exits by itself (a start that must fail): its exit status, and what it wrote
    /// to stdout and to stderr, each in full. A site still running after <paramref name="limit"/> is killed and fails
    /// the test.
    /// </summary>
    public static async Task<(int ExitCode, string Output, string Errors)> RunToExitAsync(IReadOnlyDictionary<string, string> environment, TimeSpan limit, CancellationToken cancellationToken)
    {
        using var process = Process.Start(StartInfo(environment, FreePort())) ?? throw new InvalidOperationException("dotnet did not start");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(limit);
        try
        {
            await process.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The site was still running after {limit.TotalSeconds:0} s:\n{await output}\n{await errors}");
        }
        return (process.ExitCode, await output, await errors);
    }

    private static ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string> environment, int port)
    {
        var dll = WebDll();
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        return start;
    }

    private static async Task<SiteProcess> StartOnceAsync(IReadOnlyDictionary<string, string> environment, int port, bool healthy, CancellationToken cancellationToken)
    {
        var process = Process.Start(StartInfo(environment, port)) ?? throw new InvalidOperationException("dotnet did not start");
        var site = new SiteProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        using var probe = new HttpClient { BaseAddress = site.BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        for (var attempt = 0; attempt < 300; attempt++)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The site exited with {process.ExitCode}:\n{site.Output}");
            }
            try
            {
                using var response = await probe.GetAsync("/healthz", cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK || (!healthy && response.StatusCode == HttpStatusCode.ServiceUnavailable))
                {
                    return site;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Slow start on a busy machine.
            }
            await Task.Delay(100, cancellationToken);
        }
        site.Kill();
        throw new TimeoutException($"The site did not answer /healthz within 30 s:\n{site.Output}");
    }

    /// <summary>SIGKILL, and wait until the process is gone.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private long ReadStatusKb(string field)
    {
        try
        {
            var line = File.ReadLines($"/proc/{_process.Id}/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            if (_output.Length > 64_000)
            {
                _output.Remove(0, 32_000);
            }
            _output.AppendLine(line);
            _nextLine.TrySetResult();
            _nextLine = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            foreach (var waiter in _waiters.Where(w => line.Contains(w.Text, StringComparison.Ordinal)).ToList())
            {
                waiter.Seen.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }

    /// <summary>
    /// A free port below Linux's ephemeral range (32768+), so the many port-0 listeners and outgoing connections of
    /// tests running alongside cannot take it between this probe and the child's bind.
    /// </summary>
    private static int FreePort()
    {
        while (true)
        {
            var port = Random.Shared.Next(20000, 32000);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken; try another.
            }
        }
    }
}
