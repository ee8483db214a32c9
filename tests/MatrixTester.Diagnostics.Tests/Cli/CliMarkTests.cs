using MatrixTester.Cli;
using MatrixTester.Diagnostics.Tests.Connections;
using MatrixTester.Lab;

namespace MatrixTester.Diagnostics.Tests.Cli;

/// <summary>Step marks say what happened (passed, nothing found, warned, failed), with and without colour.</summary>
public sealed class CliMarkTests : LabTest
{
    private string[] LabArgs(string serverName, params string[] extra) =>
        ["check", serverName, "--name-server", Lab.Dns.EndPoint.ToString(), "--trust-roots", FederationLab.RootPemPath, "--allow-private", .. extra];

    private static async Task<string> Run(CliTerminal terminal, params string[] args)
    {
        var output = new StringWriter();
        await CliApp.RunAsync(args, output, new StringWriter(), terminal, TestContext.Current.CancellationToken);
        return output.ToString();
    }

    private static readonly CliTerminal Pipe = new(IsTerminal: false, NoColor: false);

    [Fact]
    public async Task A_passed_step_is_marked_with_a_check_and_a_missing_record_with_a_dot()
    {
        await new LabServer(Lab).StartAsync();
        var output = await Run(Pipe, LabArgs("example.test"));
        Assert.Matches(@"ms\] ✓ well-known\s+/.well-known/matrix/server delegates", output);
        Assert.Matches(@"ms\] ✓ connection\s+127\.\d+\.\d+\.\d+:443: all federation checks passed", output);
        // The lab zone has no SRV record: an answer, not a pass and not a failure.
        Assert.Matches(@"ms\] · (dns|srv)\s+", output);
        Assert.DoesNotMatch(@"✓ dns\s+\S+ \S+: (NxDomain|no records)", output);
    }

    [Fact]
    public async Task A_step_that_completed_with_a_warning_gets_the_warning_mark()
    {
        await new LabServer(Lab) { Certificate = pki => pki.IssueExpiringSoon("matrix.example.test") }.StartAsync();
        var output = await Run(Pipe, LabArgs("example.test"));
        Assert.Matches(@"ms\] ! connection\s+127\.\d+\.\d+\.\d+:443", output);
        Assert.DoesNotMatch(@"✓ connection", output);
    }

    [Fact]
    public async Task A_failed_step_gets_the_cross_and_never_the_check()
    {
        await new LabServer(Lab) { Certificate = pki => pki.IssueExpired("matrix.example.test") }.StartAsync();
        var output = await Run(Pipe, LabArgs("example.test"));
        Assert.Matches(@"ms\] ✗ connection\s+127\.\d+\.\d+\.\d+:443", output);
        Assert.DoesNotMatch(@"✓ connection", output);
    }

    [Fact]
    public async Task A_well_known_that_could_not_be_fetched_is_not_marked_passed()
    {
        // example.test has no address at all: the well-known cannot be fetched and discovery finds nothing.
        var output = await Run(Pipe, LabArgs("nowhere.test"));
        Assert.Matches(@"ms\] [!✗·] well-known\s+/.well-known/matrix/server", output);
        Assert.DoesNotMatch(@"✓ (well-known|dns|endpoints)", output);
    }

    [Fact]
    public async Task Colour_on_a_terminal_unless_no_color_or_NO_COLOR()
    {
        await new LabServer(Lab).StartAsync();
        var terminal = new CliTerminal(IsTerminal: true, NoColor: false);
        Assert.Contains("\u001b[32m✓\u001b[0m", await Run(terminal, LabArgs("example.test")), StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', await Run(terminal, LabArgs("example.test", "--no-color")));
        Assert.DoesNotContain('\u001b', await Run(terminal with { NoColor = true }, LabArgs("example.test")));
        Assert.DoesNotContain('\u001b', await Run(Pipe, LabArgs("example.test")));
        Assert.Contains("\u001b[32m✓", await Run(Pipe, LabArgs("example.test", "--color")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Docs_links_are_absolute_with_docs_base()
    {
        await new LabServer(Lab) { Certificate = pki => pki.IssueExpired("matrix.example.test") }.StartAsync();
        var output = await Run(Pipe, LabArgs("example.test", "--docs-base", "https://tester.example.org"));
        Assert.Contains("Docs: https://tester.example.org/docs/tls-certificates#expired", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Docs: /docs/", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ftp://tester.example.org/")]
    [InlineData("/docs")]
    public async Task Docs_base_must_be_an_absolute_http_url(string value)
    {
        var error = new StringWriter();
        var code = await CliApp.RunAsync(["check", "example.org", "--docs-base", value], new StringWriter(), error, TestContext.Current.CancellationToken);
        Assert.Equal(2, code);
        Assert.Contains("--docs-base", error.ToString(), StringComparison.Ordinal);
    }
}
