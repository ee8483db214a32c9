using System.Net;
using MatrixTester.Web.Hosting;
using MatrixTester.Web.Tests.Outage;

namespace MatrixTester.Web.Tests;

/// <summary>
/// The site as a container runs it (DOTNET_RUNNING_IN_CONTAINER, a home folder that does not survive, the data
/// directory a mounted volume — here a tmpfs): two starts log no warning, and the data-protection key ring lives in
/// the data directory, owner-only, where the second start finds it.
/// </summary>
public sealed class StartupLogTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Two_starts_on_one_data_directory_log_no_warning_and_keep_one_key_ring_in_it()
    {
        var root = Directory.CreateTempSubdirectory("matrixtester-startup-");
        try
        {
            await using var volume = await TmpfsDirectory.MountAsync("16", readOnly: false, Ct);
            var data = volume.Path;
            var environment = new Dictionary<string, string>
            {
                ["Storage__DataDirectory"] = data,
                ["Federation__ServerName"] = "tester.example",
                ["HOME"] = Path.Combine(root.FullName, "home"),
                ["DOTNET_RUNNING_IN_CONTAINER"] = "true",
                ["Serilog__MinimumLevel__Default"] = "Information",
            };
            var first = await StartPageAndStopAsync(environment);
            var keys = Path.Combine(data, DataProtectionKeys.Folder);
            var keyFiles = Directory.GetFiles(keys, "key-*.xml");
            var second = await StartPageAndStopAsync(environment);

            Assert.Single(keyFiles);
            Assert.Equal(keyFiles, Directory.GetFiles(keys, "key-*.xml"));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(keys));
            Assert.False(Directory.Exists(Path.Combine(root.FullName, "home", ".aspnet")), "nothing is kept in the home folder");
            Assert.True(Warnings(first).Length == 0, first);
            Assert.True(Warnings(second).Length == 0, second);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task At_information_level_now_listening_on_is_among_the_first_lines_and_quartz_says_nothing()
    {
        var data = Directory.CreateTempSubdirectory("matrixtester-quiet-");
        try
        {
            await using var site = await SiteProcess.StartAsync(new Dictionary<string, string>
            {
                ["Storage__DataDirectory"] = data.FullName,
                ["Serilog__MinimumLevel__Default"] = "Information",
            }, Ct);
            var log = await WaitForAsync(site, "Application started");
            var lines = log.Split('\n', StringSplitOptions.RemoveEmptyEntries);

            // Before, Quartz described its configuration in some 25 lines at Information, ahead of this one.
            var listening = Array.FindIndex(lines, l => l.Contains("Now listening on: " + site.BaseAddress.ToString().TrimEnd('/'), StringComparison.Ordinal));
            Assert.InRange(listening, 0, 2);
            Assert.DoesNotContain(lines, l => l.Contains("Quartz", StringComparison.Ordinal));
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    /// <summary>The log of one start (ASP.NET Core loads the key ring while starting), with one page served.</summary>
    private static async Task<string> StartPageAndStopAsync(Dictionary<string, string> environment)
    {
        await using var site = await SiteProcess.StartAsync(environment, Ct);
        using var client = new HttpClient { BaseAddress = site.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var page = await client.GetAsync("/", Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("HTTP GET / responded 200", await WaitForAsync(site, "HTTP GET / responded"), StringComparison.Ordinal);
        return site.Output;
    }

    /// <summary>The request line is written after the response; the log is complete once it is there.</summary>
    private static async Task<string> WaitForAsync(SiteProcess site, string line)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        await site.OutputContainsAsync(line, timeout.Token);
        return site.Output;
    }

    private static string[] Warnings(string log) =>
        [.. log.Split('\n').Where(l => l.Contains(" WRN]", StringComparison.Ordinal) || l.Contains(" ERR]", StringComparison.Ordinal) || l.Contains(" FTL]", StringComparison.Ordinal))];
}
