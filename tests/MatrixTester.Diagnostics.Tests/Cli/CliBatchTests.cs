using System.Text.Json;
using MatrixTester.Cli;
using MatrixTester.Diagnostics.Reading;
using MatrixTester.Diagnostics.Tests.Connections;
using MatrixTester.Lab;

namespace MatrixTester.Diagnostics.Tests.Cli;

/// <summary><c>matrix-tester check a b c</c> and <c>--file</c>: one line per name, then the overall exit status.</summary>
public sealed class CliBatchTests : LabTest
{
    private string[] LabArgs(params string[] names) =>
        ["check", .. names, "--name-server", Lab.Dns.EndPoint.ToString(), "--trust-roots", FederationLab.RootPemPath, "--allow-private", "--no-color"];

    private static async Task<(int Code, string[] Lines, string Err)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CliApp.RunAsync(args, output, error, TestContext.Current.CancellationToken);
        return (code, output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries), error.ToString());
    }

    [Fact]
    public async Task Several_names_print_one_line_each_and_any_broken_one_makes_the_exit_status_1()
    {
        await new LabServer(Lab) { ServerName = "good.test", DelegatedHost = "matrix.good.test" }.StartAsync();
        await new LabServer(Lab) { ServerName = "expired.test", DelegatedHost = "matrix.expired.test", Certificate = pki => pki.IssueExpired("matrix.expired.test") }.StartAsync();

        var (code, lines, error) = await Run(LabArgs("good.test", "expired.test", "https://not-a-name", "good.test"));

        Assert.Equal(1, code);
        Assert.Equal("", error);
        Assert.Equal(3, lines.Length);
        TestContext.Current.TestOutputHelper?.WriteLine(string.Join("\n", lines));
        // Its client API has no call infrastructure and the classic login: their chips say so, as on the result page.
        Assert.Contains("✓ good.test: Federation works · IPv4: works · IPv6: no address · Clients: works · Calls: not offered · Login: classic · 0 errors, 0 warnings", lines);
        Assert.Contains(lines, l => l.StartsWith("✗ expired.test: Federation is broken · IPv4: broken · IPv6: no address · ", StringComparison.Ordinal) && l.EndsWith(" · 1 error, 0 warnings", StringComparison.Ordinal));
        Assert.Contains("– https://not-a-name: Not checked: not a server name · IPv4: not checked · IPv6: not checked · 0 errors, 0 warnings", lines);
    }

    [Fact]
    public async Task A_file_of_names_with_json_gives_one_summary_object_per_line_and_exit_0_when_all_work()
    {
        await new LabServer(Lab) { ServerName = "one.test", DelegatedHost = "matrix.one.test" }.StartAsync();
        await new LabServer(Lab) { ServerName = "two.test", DelegatedHost = "matrix.two.test" }.StartAsync();
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, "# my servers\none.test\n\n  two.test   # the other one\n", TestContext.Current.CancellationToken);

            var (code, lines, _) = await Run([.. LabArgs(), "--file", file, "--json"]);

            Assert.Equal(0, code);
            var summaries = lines.Select(l => JsonDocument.Parse(l).RootElement).ToDictionary(e => e.GetProperty("server_name").GetString()!);
            Assert.Equal(["one.test", "two.test"], summaries.Keys.Order(StringComparer.Ordinal));
            Assert.All(summaries.Values, s =>
            {
                Assert.Equal("works", s.GetProperty("verdict").GetString());
                Assert.Equal(["ipv4", "ipv6", "clients", "calls", "login"], s.GetProperty("chips").EnumerateArray().Select(c => c.GetProperty("key").GetString()));
                Assert.Equal(0, s.GetProperty("problems").GetArrayLength());
            });
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData(new[] { FederationState.Works, FederationState.WorksWithWarnings }, 0)]
    [InlineData(new[] { FederationState.Works, FederationState.Broken, FederationState.Incomplete, FederationState.NotChecked }, 1)]
    [InlineData(new[] { FederationState.Works, FederationState.Incomplete, FederationState.NotChecked }, 3)]
    [InlineData(new[] { FederationState.Works, FederationState.NotChecked }, 2)]
    public void The_overall_exit_status_is_the_most_serious_answer(FederationState[] states, int expected) =>
        Assert.Equal(expected, ExitCodes.Overall(states));

    [Theory]
    [InlineData("check a.example b.example --format go", "--format go describes one server")]
    [InlineData("check --file /nonexistent/names.txt", "--file /nonexistent/names.txt: ")]
    public async Task Batch_usage_errors_exit_2_and_say_what_is_wrong(string commandLine, string message)
    {
        var (code, lines, error) = await Run(commandLine.Split(' '));
        Assert.Equal(2, code);
        Assert.Empty(lines);
        Assert.StartsWith(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_without_names_is_a_usage_error()
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, "# nothing yet\n\n", TestContext.Current.CancellationToken);
            var (code, _, error) = await Run("check", "--file", file);
            Assert.Equal(2, code);
            Assert.StartsWith("The file has no server names", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
