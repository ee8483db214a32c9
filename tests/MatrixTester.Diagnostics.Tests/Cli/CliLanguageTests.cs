using System.Text.Json;
using MatrixTester.Cli;
using MatrixTester.Lab;
using MatrixTester.Diagnostics.Tests.Connections;

namespace MatrixTester.Diagnostics.Tests.Cli;

/// <summary>The CLI writes German with <c>--lang de</c> or a German locale; JSON and the exit status do not change.</summary>
public sealed class CliLanguageTests : LabTest
{
    private string[] LabArgs(params string[] extra) =>
        ["check", "example.test", "--name-server", Lab.Dns.EndPoint.ToString(), "--trust-roots", FederationLab.RootPemPath, "--allow-private", .. extra];

    private static async Task<(int Code, string Out, string Err)> Run(string[] args, Func<string, string?>? environment = null)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var terminal = new CliTerminal(IsTerminal: false, NoColor: true) { Environment = environment ?? (_ => null) };
        var code = await CliApp.RunAsync(args, output, error, terminal, TestContext.Current.CancellationToken);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Lang_de_writes_the_broken_result_in_german_with_german_fixes()
    {
        await new LabServer(Lab) { Certificate = pki => pki.IssueExpired("matrix.example.test") }.StartAsync();
        var (code, output, _) = await Run(LabArgs("--lang", "de"));
        Assert.Equal(1, code);
        Assert.StartsWith("Prüfe example.test …", output, StringComparison.Ordinal);
        Assert.Matches(@"\n    FEHLER Das Zertifikat auf 127\.\d+\.\d+\.\d+:443 ist vor 1 Tag abgelaufen", output);
        Assert.Contains("Lösung: Erneuern Sie das Zertifikat", output, StringComparison.Ordinal);
        Assert.Contains("Federation ist kaputt für example.test: 1 Fehler, 0 Warnungen.", output, StringComparison.Ordinal);
        Assert.Contains("Doku: /docs/tls-certificates#expired", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("LC_ALL", "de_DE.UTF-8", "Prüfe example.test …")]
    [InlineData("LANG", "de_AT.UTF-8", "Prüfe example.test …")]
    [InlineData("LANG", "fr_FR.UTF-8", "Checking example.test …")]
    [InlineData("LANG", "C.UTF-8", "Checking example.test …")]
    public async Task The_locale_chooses_the_language_when_lang_is_not_given(string variable, string value, string firstLine)
    {
        await new LabServer(Lab).StartAsync();
        var (code, output, _) = await Run(LabArgs(), name => name == variable ? value : null);
        Assert.Equal(0, code);
        Assert.StartsWith(firstLine, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lang_wins_over_the_locale_and_lc_all_over_lang()
    {
        await new LabServer(Lab).StartAsync();
        var (_, english, _) = await Run(LabArgs("--lang", "en"), name => name == "LC_ALL" ? "de_DE.UTF-8" : null);
        Assert.StartsWith("Checking example.test …", english, StringComparison.Ordinal);
        var (_, german, _) = await Run(LabArgs(), name => name switch { "LC_ALL" => "de_DE.UTF-8", "LANG" => "en_US.UTF-8", _ => null });
        Assert.StartsWith("Prüfe example.test …", german, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_output_stays_english_in_german()
    {
        await new LabServer(Lab) { Certificate = pki => pki.IssueExpired("matrix.example.test") }.StartAsync();
        var (code, output, _) = await Run(LabArgs("--lang", "de", "--json"));
        Assert.Equal(1, code);
        var finding = JsonDocument.Parse(output).RootElement.GetProperty("connections")[0].GetProperty("findings")
            .EnumerateArray().First(f => f.GetProperty("id").GetString() == "tls.cert.expired");
        Assert.StartsWith("Renew the certificate", finding.GetProperty("fix").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("tls.cert.expired.Summary.", finding.GetProperty("phrases").GetProperty("summary").GetProperty("key").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_name_that_is_not_one_is_refused_in_german()
    {
        var (code, _, error) = await Run(["check", "not a name", "--lang", "de"]);
        Assert.Equal(2, code);
        Assert.Contains("„not a name“ ist kein Servername", error, StringComparison.Ordinal);
    }
}
