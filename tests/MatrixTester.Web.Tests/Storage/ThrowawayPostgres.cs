using System.Diagnostics;

namespace MatrixTester.Web.Tests.Storage;

/// <summary>
/// A PostgreSQL cluster of one test's own (<c>.ci/postgres.sh start</c> on the next free port), which the test may
/// stop and start again (<c>pause</c>/<c>resume</c>: <c>pg_ctl stop</c>/<c>start</c> on the same data). Never the
/// shared server of MATRIXTESTER_TEST_POSTGRES: other tests use that one at the same time. Deleted on dispose.
/// </summary>
public sealed class ThrowawayPostgres : IAsyncDisposable
{
    private readonly string _directory;

    private ThrowawayPostgres(string directory, string connectionString)
    {
        _directory = directory;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    public static async Task<ThrowawayPostgres> StartAsync(CancellationToken cancellationToken)
    {
        var (code, output) = await RunAsync("start", null, cancellationToken);
        if (code != 0)
        {
            var reason = "Could not start a PostgreSQL cluster for this test (.ci/postgres.sh start): " + output;
            if (MatrixTester.Lab.Prerequisite.InCi)
            {
                Assert.Fail(reason);
            }
            Requires.Skip("PostgreSQL", reason);
        }
        string Value(string name) => output.Split('\n').Single(l => l.StartsWith($"export {name}=", StringComparison.Ordinal))
            .Split('=', 2)[1].Trim().Trim('\'');
        return new ThrowawayPostgres(Value("MATRIXTESTER_PG_DIR"), Value("MATRIXTESTER_TEST_POSTGRES"));
    }

    /// <summary>pg_ctl stop -m fast: the server goes away, its data stays.</summary>
    public Task StopServerAsync(CancellationToken cancellationToken) => RequireAsync("pause", cancellationToken);

    /// <summary>pg_ctl start on the same data and port.</summary>
    public Task StartServerAsync(CancellationToken cancellationToken) => RequireAsync("resume", cancellationToken);

    public async ValueTask DisposeAsync() => await RunAsync("stop", _directory, CancellationToken.None);

    private async Task RequireAsync(string command, CancellationToken cancellationToken)
    {
        var (code, output) = await RunAsync(command, _directory, cancellationToken);
        Assert.True(code == 0, $".ci/postgres.sh {command} failed: {output}");
    }

    private static async Task<(int Code, string Output)> RunAsync(string command, string? directory, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(SiteProcess.RepositoryRoot().FullName, ".ci", "postgres.sh"));
        start.ArgumentList.Add(command);
        // A port range of its own, away from the shared server's 54329 and up.
        start.Environment["MATRIXTESTER_PG_PORT"] = "55433";
        if (directory is not null)
        {
            start.Environment["MATRIXTESTER_PG_DIR"] = directory;
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await stdout + await stderr);
    }
}
