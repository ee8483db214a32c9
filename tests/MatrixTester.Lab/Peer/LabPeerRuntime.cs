using System.Diagnostics;

namespace MatrixTester.Lab.Peer;

/// <summary>
/// Where the lab peer's node program is and whether it can run: node on PATH, and tests/lab-peer/node_modules
/// installed (by <c>.ci/run</c>, or here by <c>npm ci</c> once, under a lock shared by every test process).
/// </summary>
public static class LabPeerRuntime
{
    private static readonly Lazy<string> Directory = new(FindPeerDirectory);
    private static readonly SemaphoreSlim InstallGate = new(1, 1);
    private static readonly HashSet<string> Installed = new(StringComparer.Ordinal);

    /// <summary>tests/lab-peer in the repository the tests were built from.</summary>
    public static string PeerDirectory => Directory.Value;

    /// <summary>node: MATRIXTESTER_NODE when set (a path; one that does not exist plays a machine without node), else the PATH's.</summary>
    private static string? NodePath => Prerequisite.Configured("MATRIXTESTER_NODE") is { } configured
        ? (File.Exists(configured) ? configured : null)
        : FindOnPath("node");

    /// <summary>node, which runs the peer; its packages are installed on first use (<see cref="EnsureInstalledAsync"/>).</summary>
    public static Prerequisite NodeJs { get; } = new("node", () => NodePath is null
        ? "node is not installed (the lab peer, tests/lab-peer, is a node program): apt-get install nodejs npm"
        : null);

    /// <summary>Why the peer cannot run on this machine, or null when it can.</summary>
    public static string? Unavailable => NodeJs.Missing;

    /// <summary>
    /// For tests: null when the peer can run; the reason to skip when it cannot on a developer's machine; throws under
    /// CI, which must run the peer's tests (.ci/run installs node and the packages).
    /// </summary>
    public static string? SkipReason() => NodeJs.SkipReason();

    public static string Node => NodePath ?? throw new InvalidOperationException(Unavailable);

    /// <summary>Runs <c>npm ci</c> in tests/lab-peer unless its packages are there; one process at a time.</summary>
    public static Task EnsureInstalledAsync(CancellationToken cancellationToken) =>
        EnsurePackagesAsync(PeerDirectory, Path.Combine("@rocket.chat", "federation-sdk", "package.json"), cancellationToken);

    /// <summary>
    /// Runs <c>npm ci</c> in <paramref name="directory"/> (a node program of the lab: tests/lab-peer, tests/lab-rtc)
    /// unless <paramref name="marker"/> (a file under its node_modules) is there; one process at a time.
    /// </summary>
    internal static async Task EnsurePackagesAsync(string directory, string marker, CancellationToken cancellationToken)
    {
        lock (Installed)
        {
            if (Installed.Contains(directory))
            {
                return;
            }
        }
        await InstallGate.WaitAsync(cancellationToken);
        try
        {
            var path = Path.Combine(directory, "node_modules", marker);
            if (!File.Exists(path))
            {
                await using var crossProcess = await LockAsync(cancellationToken);
                if (!File.Exists(path))
                {
                    await NpmCiAsync(directory, cancellationToken);
                }
            }
            lock (Installed)
            {
                Installed.Add(directory);
            }
        }
        finally
        {
            InstallGate.Release();
        }
    }

    private static async Task NpmCiAsync(string directory, CancellationToken cancellationToken)
    {
        var npm = FindOnPath("npm") ?? throw new InvalidOperationException($"npm is not installed; it installs the lab's node packages (npm ci --prefix {directory}).");
        var start = new ProcessStartInfo(npm, ["ci", "--no-audit", "--no-fund"])
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"npm ci in {directory} failed ({process.ExitCode}):\n{await output}\n{await errors}");
        }
    }

    // A file opened exclusively: other test processes (the solution's test projects run in parallel) wait for it.
    private static async Task<FileStream> LockAsync(CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetTempPath(), "matrixtester-lab-peer-npm.lock");
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                await Task.Delay(200, cancellationToken);
            }
        }
    }

    private static string FindPeerDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "lab-peer");
            if (File.Exists(Path.Combine(candidate, "peer.js")))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException($"tests/lab-peer/peer.js not found above {AppContext.BaseDirectory}.");
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
