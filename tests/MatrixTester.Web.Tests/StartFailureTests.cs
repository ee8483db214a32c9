using MatrixTester.Web.Hosting;

namespace MatrixTester.Web.Tests;

/// <summary>
/// The real site process with a setting it cannot start with: one line on stderr that names the setting, exit status
/// 1, and nothing else: no stack trace, no abort (it used to print the unhandled exception twice and exit 134).
/// </summary>
public sealed class StartFailureTests : IDisposable
{
    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("matrixtester-start-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string, string> Settings => new()
    {
        { "Diagnosis__OverallDeadline", "01:00:00", "Diagnosis:OverallDeadline: The field OverallDeadline must be between 00:00:01 and 00:10:00." },
        { "Abuse__KnownProxies__0", "not-an-address", "Abuse:KnownProxies must be IP addresses and Abuse:KnownNetworks CIDR networks (10.0.0.0/8)." },
        { "Storage__Provider", "Postgres", "Storage:ConnectionString must be a valid Npgsql connection string when Storage:Provider is Postgres." },
    };

    [Theory]
    [MemberData(nameof(Settings))]
    public async Task An_invalid_setting_ends_the_process_with_one_line_naming_it(string variable, string value, string why)
    {
        var (exitCode, output, errors) = await SiteProcess.RunToExitAsync(Environment((variable, value)), TimeSpan.FromSeconds(60), Ct);

        Assert.Equal(SiteStart.InvalidSettingsExitCode, exitCode);
        Assert.Equal($"MatrixTester cannot start: {why}", Assert.Single(Lines(errors)));
        AssertNoTrace(output);
    }

    [Fact]
    public async Task A_damaged_signing_key_ends_the_process_with_one_line_naming_the_file()
    {
        var key = Path.Combine(_data.FullName, "signing.key");
        File.WriteAllText(key, "not a key");

        var (exitCode, output, errors) = await SiteProcess.RunToExitAsync(Environment(("Federation__ServerName", "tester.example.test")), TimeSpan.FromSeconds(60), Ct);

        Assert.Equal(SiteStart.InvalidSettingsExitCode, exitCode);
        Assert.StartsWith($"MatrixTester cannot start: Federation:SigningKeyPath: {key} is not a signing key: expected one line", Assert.Single(Lines(errors)), StringComparison.Ordinal);
        AssertNoTrace(output);
        Assert.Equal("not a key", File.ReadAllText(key));
    }

    private Dictionary<string, string> Environment(params (string Key, string Value)[] settings)
    {
        var environment = new Dictionary<string, string> { ["Storage__DataDirectory"] = _data.FullName };
        foreach (var (key, value) in settings)
        {
            environment[key] = value;
        }
        return environment;
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Nothing started, so nothing logged: no "Hosting failed to start", no frames of a stack trace.</summary>
    private static void AssertNoTrace(string output)
    {
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
        Assert.DoesNotContain(" ERR]", output, StringComparison.Ordinal);
    }

    public void Dispose() => _data.Delete(recursive: true);
}
