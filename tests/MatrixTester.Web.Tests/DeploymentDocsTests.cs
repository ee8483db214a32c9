using System.Collections;
using System.Reflection;
using System.Text.RegularExpressions;
using MatrixTester.Diagnostics;
using MatrixTester.Web.Abuse;
using MatrixTester.Web.Federation;
using MatrixTester.Web.History;
using MatrixTester.Web.Monitoring;
using MatrixTester.Web.Storage;
using MatrixTester.Web.Watches;

namespace MatrixTester.Web.Tests;

/// <summary>The operator page's configuration table and the options classes cannot drift apart.</summary>
public sealed partial class DeploymentDocsTests
{
    private static readonly (string Section, Type Options)[] Sections =
    [
        (DiagnosisOptions.Section, typeof(DiagnosisOptions)),
        (StorageOptions.Section, typeof(StorageOptions)),
        (MetricsOptions.Section, typeof(MetricsOptions)),
        (SiteOptions.Section, typeof(SiteOptions)),
        (AbuseOptions.Section, typeof(AbuseOptions)),
        (HistoryOptions.Section, typeof(HistoryOptions)),
        (MonitoringOptions.Section, typeof(MonitoringOptions)),
        (FederationOptions.Section, typeof(FederationOptions)),
        (StatisticsOptions.Section, typeof(StatisticsOptions)),
    ];

    [GeneratedRegex(@"^\| `(?<key>[A-Za-z]+(?::[A-Za-z]+)+)` \| (?<default>[^|]+) \| `(?<env>[A-Za-z0-9_]+)`(?<list>, `__1`, …)? \| (?<meaning>[^|]+) \|$", RegexOptions.Multiline)]
    private static partial Regex Row();

    private static string Page() => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "docs", "deployment.md"));

    /// <summary>What configuration binding sets: public settable properties, and get-only collections it fills.</summary>
    private static IEnumerable<string> Bindable() => Sections.SelectMany(s => Keys(s.Section, s.Options));

    /// <summary>Nested options classes (Abuse:RateLimit) contribute their own keys, not one for the object.</summary>
    private static IEnumerable<string> Keys(string prefix, Type type) =>
        from p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
        where p.SetMethod is { IsPublic: true } || (p.PropertyType != typeof(string) && typeof(IEnumerable).IsAssignableFrom(p.PropertyType))
        from key in p.PropertyType.IsClass && p.PropertyType != typeof(string) && p.PropertyType != typeof(Uri) && !typeof(IEnumerable).IsAssignableFrom(p.PropertyType)
            ? Keys($"{prefix}:{p.Name}", p.PropertyType)
            : [$"{prefix}:{p.Name}"]
        select key;

    [Fact]
    public void Every_setting_is_documented_and_every_documented_setting_exists()
    {
        var documented = Row().Matches(Page()).Select(m => m.Groups["key"].Value).ToList();
        Assert.Equal(documented.Distinct().Count(), documented.Count);
        Assert.Equal(Bindable().Order(), documented.Order());
    }

    [Fact]
    public void Each_row_gives_the_environment_variable_form_and_a_default()
    {
        var collections = (
            from s in Sections
            from p in s.Options.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            where p.PropertyType != typeof(string) && typeof(IEnumerable).IsAssignableFrom(p.PropertyType)
            select $"{s.Section}:{p.Name}").ToHashSet();
        Assert.Contains("Diagnosis:NameServers", collections);
        foreach (Match row in Row().Matches(Page()))
        {
            var key = row.Groups["key"].Value;
            var expected = key.Replace(":", "__", StringComparison.Ordinal) + (collections.Contains(key) ? "__0" : "");
            Assert.Equal(expected, row.Groups["env"].Value);
            Assert.Equal(collections.Contains(key), row.Groups["list"].Success);
            Assert.False(string.IsNullOrWhiteSpace(row.Groups["default"].Value), key);
        }
    }

    [Theory]
    [InlineData("Storage:Provider", "`Sqlite`")]
    [InlineData("Storage:RetentionDays", "`90`")]
    [InlineData("Storage:CleanupInterval", "`01:00:00`")]
    [InlineData("Storage:RecentLimit", "`20`")]
    [InlineData("Metrics:Enabled", "`false`")]
    [InlineData("Diagnosis:OverallDeadline", "`00:00:30`")]
    [InlineData("Site:MaxInputLength", "`1024`")]
    [InlineData("Abuse:RateLimit:TokenLimit", "`10`")]
    [InlineData("Abuse:MaxConcurrentDiagnoses", "`16`")]
    [InlineData("Abuse:MaxRunningPerClient", "`4`")]
    [InlineData("Abuse:MaxQueuedPerClient", "`8`")]
    [InlineData("Abuse:QueueReservedForNewClients", "`16`")]
    [InlineData("History:Limit", "`200`")]
    [InlineData("History:FeedEntries", "`20`")]
    [InlineData("Monitoring:Interval", "`06:00:00`")]
    [InlineData("Monitoring:Webhook:MaxAttempts", "`4`")]
    [InlineData("Federation:ProbeLifetime", "`00:05:00`")]
    [InlineData("Federation:ProbeReuse", "`00:01:00`")]
    [InlineData("Federation:MaxActiveProbes", "`64`")]
    [InlineData("Federation:MaxInboundPerProbe", "`32`")]
    [InlineData("Federation:RateLimit:TokenLimit", "`60`")]
    public void Documented_defaults_match_the_code(string key, string documented)
    {
        var row = Row().Matches(Page()).Single(m => m.Groups["key"].Value == key);
        Assert.Equal(documented, row.Groups["default"].Value.Trim());
        var (section, type) = Sections.Single(s => key.StartsWith(s.Section + ":", StringComparison.Ordinal));
        object? value = Activator.CreateInstance(type);
        foreach (var name in key[(section.Length + 1)..].Split(':'))
        {
            value = value!.GetType().GetProperty(name)!.GetValue(value);
        }
        var text = value is bool b ? (b ? "true" : "false") : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(documented.Trim('`'), text);
    }
}
