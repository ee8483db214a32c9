using System.Diagnostics;

namespace MatrixTester.Web.Tests.Outage;

/// <summary>
/// A small tmpfs mounted on a fresh directory: a data directory the test can really fill up or make read-only. Tests
/// run as root, and root ignores permission bits, so chmod would prove nothing; a full or read-only file system
/// refuses root's writes too (ENOSPC, EROFS), exactly as it would refuse the site in production.
/// </summary>
internal sealed class TmpfsDirectory : IAsyncDisposable
{
    private TmpfsDirectory(string path) => Path = path;

    public string Path { get; }

    private string Filler => System.IO.Path.Combine(Path, "filler");

    public static async Task<TmpfsDirectory> MountAsync(string sizeMegabytes, bool readOnly, CancellationToken cancellationToken)
    {
        var path = Directory.CreateTempSubdirectory("matrixtester-tmpfs-").FullName;
        var (code, output) = await RunAsync(["mount", "-t", "tmpfs", "-o", $"size={sizeMegabytes}m,{(readOnly ? "ro" : "rw")}", "tmpfs", path], cancellationToken);
        if (code != 0)
        {
            Directory.Delete(path);
            var reason = $"Could not mount a tmpfs for this test (needs root with CAP_SYS_ADMIN): {output}";
            if (MatrixTester.Lab.Prerequisite.InCi)
            {
                Assert.Fail(reason);
            }
            Requires.Skip("a tmpfs mount", reason);
        }
        return new TmpfsDirectory(path);
    }

    /// <summary>Writes one file until the file system has no space left.</summary>
    public async Task FillAsync()
    {
        await using var file = new FileStream(Filler, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None);
        var chunk = new byte[64 * 1024];
        try
        {
            while (true)
            {
                await file.WriteAsync(chunk);
                await file.FlushAsync();
            }
        }
        catch (IOException)
        {
            // ENOSPC: full.
        }
    }

    public void Free() => File.Delete(Filler);

    /// <summary>mount -o remount,rw: nothing had the read-only file system open for writing, so this always works.</summary>
    public async Task MakeWritableAsync(CancellationToken cancellationToken)
    {
        var (code, output) = await RunAsync(["mount", "-o", "remount,rw", Path], cancellationToken);
        Assert.True(code == 0, output);
    }

    public async ValueTask DisposeAsync()
    {
        await RunAsync(["umount", "-l", Path], CancellationToken.None);
        Directory.Delete(Path, recursive: true);
    }

    private static async Task<(int Code, string Output)> RunAsync(string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(arguments[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await stdout + await stderr);
    }
}
