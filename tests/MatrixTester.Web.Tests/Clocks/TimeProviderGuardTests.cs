using System.Reflection;
using MatrixTester.Web.Diagnoses;
using MatrixTester.Web.Storage;

namespace MatrixTester.Web.Tests.Clocks;

/// <summary>
/// Every clock read and timer in src/ goes through the injected <see cref="TimeProvider"/>, so tests can drive deadlines
/// with a fake clock and nothing in production measures or waits behind its back. Scans the compiled engine, site and
/// CLI (IL + PDB: the overload actually called, never a comment) and names the file and line of each offender.
/// </summary>
public sealed class TimeProviderGuardTests
{
    private static readonly Assembly[] Sources =
    [
        typeof(Diagnostics.Orchestration.DiagnosisService).Assembly,
        typeof(Web.Diagnoses.SharedDiagnoses).Assembly,
        Assembly.Load("matrix-tester"), // the CLI, referenced (aliased) for this scan only
    ];

    /// <summary>
    /// Allowed, each for a reason: composition roots that choose the real clock, and libraries whose own timers take
    /// only a duration (no TimeProvider overload exists). Matched by file name and member, so a moved file keeps its entry.
    /// </summary>
    private static readonly Allowance[] Allowed =
    [
        new("SiteRoots.cs", "TimeProvider.get_System", "the site's composition root registers the real clock once; everything else takes it from DI"),
        new("CliApp.cs", "TimeProvider.get_System", "the CLI's composition root hands the real clock to DiagnosisEngine.Create"),
        new("WebhookSender.cs", "SocketsHttpHandler.set_PooledConnectionLifetime", "the handler's pool recycling, so a webhook host's DNS change is picked up; SocketsHttpHandler takes no TimeProvider"),
        new("WebhookSender.cs", "HttpClient.set_Timeout", "set to InfiniteTimeSpan: switches HttpClient's timer off; each attempt is bounded on the TimeProvider"),
        new("MailSender.cs", "MailService.set_Timeout", "MailKit's per-read/write socket timeout takes only milliseconds; the whole mail is bounded on the TimeProvider"),
        new("StoreConnections.cs", "SqliteConnectionStringBuilder.set_DefaultTimeout", "SQLite's busy timeout and command timeout, enforced inside Microsoft.Data.Sqlite (seconds only)"),
        new("StoreConnections.cs", "NpgsqlConnectionStringBuilder.set_Timeout", "Npgsql's connect timeout (seconds only), enforced by Npgsql on its sockets"),
        new("StoreConnections.cs", "NpgsqlConnectionStringBuilder.set_CommandTimeout", "Npgsql's command timeout (seconds only), enforced by the server and Npgsql"),
        new("RateLimitPolicy.cs", "TokenBucketRateLimiterOptions.set_ReplenishmentPeriod", "System.Threading.RateLimiting replenishes on its own timer and has no TimeProvider"),
        new("StorageServices.cs", "HealthChecksBuilderAddCheckExtensions.AddCheck", "no timeout is passed: the optional TimeSpan? timeout keeps its default, null"),
    ];

    [Fact]
    public void Every_clock_and_timer_in_src_goes_through_the_injected_TimeProvider()
    {
        var offenders = Violations().Where(v => !Allowed.Any(a => a.Covers(v.Site))).Select(v => v.ToString()).Distinct().ToList();
        Assert.True(offenders.Count == 0, "Clocks or timers that bypass the injected TimeProvider:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void Every_allowance_is_still_needed()
    {
        var violations = Violations();
        var stale = Allowed.Where(a => !violations.Any(v => a.Covers(v.Site))).Select(a => $"{a.File}: {a.Member}").ToList();
        Assert.True(stale.Count == 0, "Allow-list entries that match nothing any more (delete them):\n" + string.Join("\n", stale));
    }

    [Fact]
    public void The_scan_finds_each_kind_of_offender_at_its_line_and_passes_the_TimeProvider_overloads()
    {
        // ClockSamples.cs marks each line the rules must catch with "// offends" and each they must pass with "// passes".
        var sites = IlCallSites.Scan(typeof(ClockSamples).Assembly).Where(s => s.File.EndsWith("ClockSamples.cs", StringComparison.Ordinal)).ToList();
        var lines = File.ReadAllLines(sites[0].File);
        var flagged = sites.Where(s => ClockRules.Violation(s.Callee) is not null).Select(s => s.Line).ToHashSet();
        var marked = Marked(lines, "// offends");
        Assert.True(marked.Count >= 10, "the sample should exercise every rule");
        Assert.Equal(marked, flagged.Order().ToList());
        Assert.Empty(Marked(lines, "// passes").Intersect(flagged));
    }

    private static List<int> Marked(string[] lines, string marker) =>
        [.. lines.Select((text, i) => (text, Line: i + 1)).Where(l => l.text.TrimEnd().EndsWith(marker, StringComparison.Ordinal)).Select(l => l.Line)];

    /// <summary>Offending call sites in hand-written sources (generated files under obj/ are the generators' business).</summary>
    private static List<Violation> Violations() =>
        [.. Sources.SelectMany(IlCallSites.Scan)
            .Where(s => !s.File.Contains("/obj/", StringComparison.Ordinal))
            .Select(s => new Violation(s, ClockRules.Violation(s.Callee)!))
            .Where(v => v.Reason is not null)];

    private sealed record Violation(CallSite Site, string Reason)
    {
        public override string ToString() => $"{Relative(Site.File)}:{Site.Line}: {Site.Member}: {Reason}";

        private static string Relative(string path) => path.IndexOf("/src/", StringComparison.Ordinal) is var at and >= 0 ? path[(at + 1)..] : path;
    }

    private sealed record Allowance(string File, string Member, string Why)
    {
        public bool Covers(CallSite site) =>
            Path.GetFileName(site.File) == File && $"{site.Callee.DeclaringType?.Name}.{site.Callee.Name}" == Member;
    }
}
