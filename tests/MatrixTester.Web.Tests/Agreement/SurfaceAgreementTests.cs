extern alias cli;
using System.Net;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using MatrixTester.Web.Tests.Probe;
using static MatrixTester.Web.Tests.Agreement.AgreementFixture;

namespace MatrixTester.Web.Tests.Agreement;

/// <summary>
/// One report, one voice: for each lab server, every surface says the same thing. The result page without script,
/// the fragment the live page swaps in, the permalink, the history page, the feed, the badge, the probe and the
/// command line are each asked, and each answer is checked against one row of expectations, written out.
/// </summary>
public sealed partial class SurfaceAgreementTests(AgreementFixture fixture) : IClassFixture<AgreementFixture>
{
    private const string Client = "Client discovery (.well-known/matrix/client)";
    private const string Support = "Support contacts (.well-known/matrix/support, optional)";

    /// <summary>
    /// What every surface must say for one server: the headline and its pill (federation findings only), the chips, the
    /// checklist's states in page order, the word of the history page and the feed (null: they refuse the name, 404),
    /// the badge (null: 404), the probe's <c>probe_success</c> and <c>federation_ok</c> (null: it refuses the target,
    /// 400), the command line's exit status, and the calls and login verdicts as the command line and the probe give
    /// them (null: not checked, so neither says anything). The Markdown export and a batch line repeat the headline and
    /// chips.
    /// </summary>
    public sealed record Expected(string Headline, string Pill, string Chips, string Checklist, string? Word, string? Badge, (int Success, int FederationOk)? Probe, int CliExit,
        string? Calls = null, string? Login = null);

    private const string Discovered = "Server name: Passed | Delegation (.well-known): Passed | DNS (SRV and addresses): Passed";
    private const string AddressPasses = "Connection and TLS: Passed | Certificate: Passed | Version: Passed | Keys: Passed";

    /// <summary>A client API without call infrastructure or OAuth 2.0: choices, noted, never problems.</summary>
    private const string NoCallsClassicLogin = "Calls (MatrixRTC): Note | Login: Note";

    public static TheoryData<string, Expected> Rows => new()
    {
        { Healthy, new("Federation works", "0 errors, 0 warnings", "IPv4: works | IPv6: no address | Clients: works | Calls: not offered | Login: classic",
            $"{Discovered} | {AddressPasses} | {Client}: Passed | {Support}: Passed | {NoCallsClassicLogin}", "works", "works", (1, 1), 0, "not offered", "classic") },
        // A client-side problem never changes "Federation works": its own chip and line say it.
        { ClientApiRefused, new("Federation works", "0 errors, 0 warnings", "IPv4: works | IPv6: no address | Clients: broken",
            $"{Discovered} | {AddressPasses} | {Client}: Failed | {Support}: Passed", "works", "works", (1, 1), 0) },
        { NoSupportFile, new("Federation works", "0 errors, 0 warnings", "IPv4: works | IPv6: no address | Clients: works | Calls: not offered | Login: classic",
            $"{Discovered} | {AddressPasses} | {Client}: Passed | {Support}: Note | {NoCallsClassicLogin}", "works", "works", (1, 1), 0, "not offered", "classic") },
        // Not checked is not failed: the test says it stopped, and nothing it did not reach is marked failed.
        { PastTimeLimit, new("Federation test incomplete", "0 errors, 0 warnings", "IPv4: not checked | IPv6: not checked | Clients: not finished",
            $"Server name: Passed | Delegation and DNS: Not finished | Time limit: Not finished | {Client}: Not finished | {Support}: Not tested",
            "incomplete", "incomplete", (0, 0), 3) },
        // A usage mistake, not a broken server: the page explains it, the other surfaces refuse the name.
        { Invalid, new("Not checked: not a server name", "0 errors, 0 warnings", "IPv4: not checked | IPv6: not checked",
            "Server name: Failed | Delegation and DNS: Not tested", null, null, null, 2) },
        // The client API is behind the same expired certificate: clients fail too, on their own line.
        { ExpiredCertificate, new("Federation is broken", "1 error, 0 warnings", "IPv4: broken | IPv6: no address | Clients: broken",
            $"{Discovered} | Connection and TLS: Passed | Certificate: Failed | Version: Passed | Keys: Passed | {Client}: Failed | {Support}: Passed",
            "broken", "broken", (1, 0), 1) },
        // The IPv6 address (listed first) refuses the connection; its other checks could not run.
        { SplitFamily, new("Federation is broken", "1 error, 0 warnings", "IPv4: works | IPv6: broken | Clients: works | Calls: not offered | Login: classic",
            $"{Discovered} | Connection and TLS: Failed | Certificate, Version, Keys: Not tested | {AddressPasses} | {Client}: Passed | {Support}: Passed | {NoCallsClassicLogin}",
            "broken", "broken", (1, 0), 1, "not offered", "classic") },
        // Calls and login are verdicts of their own: a broken call service or login never changes "Federation works",
        // its count, the history's word, the badge, FederationOK or the exit status.
        { CallsBroken, new("Federation works", "0 errors, 0 warnings", "IPv4: works | IPv6: no address | Clients: works | Calls: broken | Login: OIDC",
            $"{Discovered} | {AddressPasses} | {Client}: Passed | {Support}: Passed | Calls (MatrixRTC): Failed | Login: Passed",
            "works", "works", (1, 1), 0, "broken", "OIDC") },
        { LoginBroken, new("Federation works", "0 errors, 0 warnings", "IPv4: works | IPv6: no address | Clients: works | Calls: ready | Login: broken",
            $"{Discovered} | {AddressPasses} | {Client}: Passed | {Support}: Passed | Calls (MatrixRTC): Passed | Login: Failed",
            "works", "works", (1, 1), 0, "ready", "broken") },
    };

    private HttpClient NewClient() => fixture.Site.CreateClient(new() { AllowAutoRedirect = false });

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task Every_surface_says_the_same(string serverName, Expected expected)
    {
        using var http = NewClient();
        var name = Uri.EscapeDataString(serverName);
        var page = await http.GetDocumentAsync($"/?server_name={name}");
        var onPage = Read(page);
        Assert.Equal(expected, expected with { Headline = onPage.Headline, Pill = onPage.Pill, Chips = onPage.Chips, Checklist = onPage.Checklist });

        var permalink = page.QuerySelector("#report a.permalink")!.GetAttribute("href")!;
        Assert.Equal(onPage, Read(await http.GetDocumentAsync(permalink)));
        Assert.Equal(onPage, Read(await http.GetDocumentAsync($"{permalink}?handler=Fragment")));

        // The Markdown export and a batch line (which reuses the same run) say the same headline, chips and pill.
        var markdown = (await http.GetStringAsync($"{permalink}.md", Ct)).Replace("\\", "", StringComparison.Ordinal).Split('\n');
        Assert.EndsWith($" {expected.Headline} for {serverName}", markdown[0], StringComparison.Ordinal);
        Assert.Equal($"{string.Join(" · ", expected.Chips.Split(" | "))} · {expected.Pill}", markdown[4].Replace("**", "", StringComparison.Ordinal));
        using (var batch = await http.PostAsync("/api/v2/batch", System.Net.Http.Json.JsonContent.Create(new { server_names = new[] { serverName } }), Ct))
        {
            using var line = System.Text.Json.JsonDocument.Parse(await batch.Content.ReadAsStringAsync(Ct));
            Assert.Equal(expected.Headline, line.RootElement.GetProperty("headline").GetString());
            Assert.Equal(expected.Chips, string.Join(" | ", line.RootElement.GetProperty("chips").EnumerateArray()
                .Select(c => $"{c.GetProperty("label").GetString()}: {c.GetProperty("value").GetString()}")));
            Assert.Equal(permalink, line.RootElement.GetProperty("permalink").GetString());
        }

        if (expected.Word is { } word)
        {
            var history = await http.GetDocumentAsync($"/s/{name}");
            Assert.Equal(word, history.QuerySelector("table.history tbody tr td .pill")!.TextContent);
            var feed = await http.GetStringAsync($"/s/{name}.atom", Ct);
            Assert.Contains($"<title>{serverName}: {word} (earliest stored result)</title>", feed, StringComparison.Ordinal);
            // The entry's title is the federation word; its summary names calls or login only when they are broken.
            foreach (var (verdict, state) in new[] { ("Calls", expected.Calls), ("Login", expected.Login) })
            {
                if (state == "broken")
                {
                    Assert.Contains($" {verdict}: broken.", feed, StringComparison.Ordinal);
                }
                else
                {
                    Assert.DoesNotContain($" {verdict}: ", feed, StringComparison.Ordinal);
                }
            }
        }
        else
        {
            await http.GetDocumentAsync($"/s/{name}", HttpStatusCode.NotFound);
        }

        using (var badge = await http.GetAsync($"/badge/{name}.svg", Ct))
        {
            Assert.Equal(expected.Badge is null ? HttpStatusCode.NotFound : HttpStatusCode.OK, badge.StatusCode);
            if (expected.Badge is not null)
            {
                var svg = await new HtmlParser().ParseDocumentAsync(await badge.Content.ReadAsStringAsync(Ct));
                Assert.Equal(expected.Badge, svg.QuerySelectorAll("text")[1].TextContent);
            }
        }

        using (var probe = await http.GetAsync($"/probe?target={name}", Ct))
        {
            Assert.Equal(expected.Probe is null ? HttpStatusCode.BadRequest : HttpStatusCode.OK, probe.StatusCode);
            if (expected.Probe is not null)
            {
                var samples = Exposition.Parse(await probe.Content.ReadAsStringAsync(Ct));
                Assert.Equal(expected.Probe, ((int)samples.One("matrixtester_probe_success").Value, (int)samples.One("matrixtester_federation_ok").Value));
                Assert.Equal((ProbeToken(expected.Calls), ProbeToken(expected.Login)), (Current(samples, "matrixtester_calls_verdict"), Current(samples, "matrixtester_login_verdict")));
            }
        }

        var (exit, output) = await CliAsync(serverName);
        Assert.True(expected.CliExit == exit, $"exit {exit}:\n{output}");
        Assert.Contains($"\n{expected.Headline} for {serverName}: {expected.Pill}.\n", output, StringComparison.Ordinal);
        Assert.Equal((expected.Calls, expected.Login), (CliWord(output, "Calls"), CliWord(output, "Login")));
    }

    /// <summary>The probe's words for the page's: the same verdict as a label value.</summary>
    private static string? ProbeToken(string? word) => word?.ToLowerInvariant() switch
    {
        null => null,
        "partly" => "partial",
        var w => w.Replace(' ', '_'),
    };

    /// <summary>The status of the one sample of <paramref name="series"/> at 1; null when the probe has no such series.</summary>
    private static string? Current(IReadOnlyList<ParsedSample> samples, string series) =>
        samples.Where(s => s.Name == series && s.Value == 1).Select(s => s.Labels["status"]).SingleOrDefault();

    /// <summary>"broken" from the command line's "Calls: broken (1 error, …" line; null without one.</summary>
    private static string? CliWord(string output, string verdict) =>
        Regex.Match(output, $@"\n{verdict}: ([^(\n]+) \(") is { Success: true } m ? m.Groups[1].Value : null;

    /// <summary>What a result page says: headline (without the name), pill, chips and checklist states.</summary>
    private sealed record PageSays(string Headline, string Pill, string Chips, string Checklist);

    private static PageSays Read(IParentNode page)
    {
        var report = page.QuerySelector("#report")!;
        var title = report.QuerySelector("#verdict-title")!;
        var name = title.QuerySelector(".verdict-name")!.TextContent;
        var checks = report.QuerySelectorAll(".checklist .check-line, .checklist .check-chip").Select(c => c.ClassList.Contains("check-line")
            ? $"{c.QuerySelector(".check-name")!.TextContent}: {c.QuerySelector(".check-state")!.TextContent}"
            : Spaces().Replace(c.TextContent, " ").Trim()[1..].Trim());
        return new PageSays(
            title.TextContent.Replace(name, "", StringComparison.Ordinal).Trim(),
            report.QuerySelector(".federation-count")!.TextContent,
            string.Join(" | ", report.QuerySelectorAll(".families .chip").Select(c => Spaces().Replace(c.TextContent, " ").Trim())),
            string.Join(" | ", checks));
    }

    private async Task<(int Exit, string Output)> CliAsync(string serverName)
    {
        var output = new StringWriter();
        var exit = await cli::MatrixTester.Cli.CliApp.RunAsync(fixture.CliArgs(serverName), output, new StringWriter(), Ct);
        return (exit, output.ToString());
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
