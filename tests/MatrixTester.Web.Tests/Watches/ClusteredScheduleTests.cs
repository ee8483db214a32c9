using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using MatrixTester.Lab;
using MatrixTester.Web.ReportViews;
using MatrixTester.Web.Tests.Storage;
using Npgsql;

namespace MatrixTester.Web.Tests.Watches;

/// <summary>
/// Two real site processes on one PostgreSQL database, as behind a load balancer: Quartz's clustered job store hands
/// each scheduled check to exactly one of them.
/// </summary>
public sealed partial class ClusteredScheduleTests(WatchLab watch, PostgresDatabase database) : IClassFixture<WatchLab>, IClassFixture<PostgresDatabase>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_instances_on_one_database_run_each_scheduled_check_once()
    {
        var connectionString = await database.NewSchemaAsync();
        var (name, _) = await watch.ServerAsync();
        await using var a = await SiteProcess.StartAsync(Environment(connectionString, "a"), Ct);
        await using var b = await SiteProcess.StartAsync(Environment(connectionString, "b"), Ct);
        using var client = new HttpClient { BaseAddress = a.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using (var created = await client.PostAsJsonAsync("/api/v2/watches", new { server_name = name, webhook = watch.Hooks.Url.ToString() }, Ct))
        {
            Assert.True(created.StatusCode == HttpStatusCode.Created, a.Output);
        }

        // Each check logs a line: wait for the lines, at most 90 s.
        using (var bound = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            bound.CancelAfter(TimeSpan.FromSeconds(90));
            while (true)
            {
                var line = Task.WhenAny(a.NextLine, b.NextLine);
                if (Checks(a, name).Count + Checks(b, name).Count >= 8 || bound.IsCancellationRequested)
                {
                    break;
                }
                try
                {
                    await line.WaitAsync(bound.Token);
                }
                catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
                {
                    // 90 s are up: the assertion below reports how many checks there were.
                }
            }
        }
        a.Kill();
        b.Kill();
        var checks = Checks(a, name).Concat(Checks(b, name)).ToArray();

        Assert.True(checks.Length >= 8, $"Only {checks.Length} scheduled checks in 90 s.\nA:\n{a.Output}\nB:\n{b.Output}");
        // Each firing (its scheduled time) ran on one instance only, and each stored its own result.
        Assert.Equal(checks.Length, checks.Select(c => c.Due).Distinct().Count());
        Assert.Equal(checks.Length, checks.Select(c => c.ResultId).Distinct().Count());
        Assert.Contains("clustered: True", a.Output, StringComparison.Ordinal);
        Assert.Contains("clustered: True", b.Output, StringComparison.Ordinal);
        // The database agrees: one stored result per logged check (a check cut off by the kill may add one per instance).
        var stored = await StoredResultsAsync(connectionString, name);
        Assert.Subset(stored.ToHashSet(), checks.Select(c => c.ResultId).ToHashSet());
        Assert.InRange(stored.Count, checks.Length, checks.Length + 2);
    }

    private static List<(string Due, string Instance, string ResultId)> Checks(SiteProcess site, string name) =>
        [.. CheckLine().Matches(site.Output).Where(m => m.Groups[1].Value == name).Select(m => (m.Groups[2].Value, m.Groups[3].Value, m.Groups[4].Value))];

    [GeneratedRegex(@"Scheduled check of (\S+) \(due (\S+)\) on (\S+): result (\S+),")]
    private static partial Regex CheckLine();

    private static async Task<List<string>> StoredResultsAsync(string connectionString, string name)
    {
        await using var source = NpgsqlDataSource.Create(connectionString);
        await using var command = source.CreateCommand("SELECT id FROM results WHERE server_name = $1");
        command.Parameters.AddWithValue(name);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var ids = new List<string>();
        while (await reader.ReadAsync(Ct))
        {
            ids.Add(reader.GetString(0));
        }
        return ids;
    }

    private Dictionary<string, string> Environment(string connectionString, string instance) => new()
    {
        ["Diagnosis__NameServers__0"] = watch.Lab.Dns.EndPoint.ToString(),
        ["Diagnosis__ExtraTrustedRoots"] = FederationLab.RootPemPath,
        ["Diagnosis__AllowPrivateNetworks"] = "true",
        ["Diagnosis__OverallDeadline"] = "00:00:20",
        ["Storage__Provider"] = "Postgres",
        ["Storage__ConnectionString"] = connectionString,
        ["Storage__DataDirectory"] = Path.Combine(watch.DataDirectory, "cluster-" + instance),
        ["Monitoring__Interval"] = "00:00:02",
        ["Site__PublicUrl"] = WatchLab.PublicBaseUrl,
        // Every check a fresh diagnosis, so each one leaves its own stored result to count.
        ["Abuse__ReuseWindow"] = "00:00:00",
        ["Serilog__MinimumLevel__Default"] = "Warning",
        ["Serilog__MinimumLevel__Override__MatrixTester.Web.Watches"] = "Information",
        ["Serilog__MinimumLevel__Override__Quartz.Impl.DefaultSchedulerFactory"] = "Information",
    };
}
