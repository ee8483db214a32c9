using MatrixTester.Diagnostics.Client;
using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Lab;
using MatrixTester.Lab.Calls;
using static MatrixTester.Diagnostics.Tests.Verdicts.PeerVerdict;

namespace MatrixTester.Diagnostics.Tests.Calls;

/// <summary>Login readiness: OAuth 2.0 metadata, the issuer's own discovery document and key set; classic login is fine.</summary>
public sealed class LoginScenarioTests : LabTest
{
    private const string Name = "login.example.test";

    private async Task<LabRun> Run(LabCallsServer server)
    {
        await server.StartAsync();
        return await Lab.DiagnoseAsync(server.ServerName);
    }

    [Fact]
    public async Task An_OIDC_server_whose_issuer_checks_out_uses_OAuth()
    {
        var server = new LabCallsServer(Lab, Name);
        var run = await Run(server);
        var auth = run.Report.Auth!;
        Assert.Equal((AuthStatus.Oidc, server.Issuer), (auth.Status, auth.Issuer));
        Assert.Equal($"https://{server.Homeserver}/_matrix/client/v1/auth_metadata", auth.MetadataUrl);
        Assert.Equal($"https://auth.{Name}/oauth2/keys.json", auth.JwksUri);
        Assert.Equal([AuthCheckKind.ServerMetadata, AuthCheckKind.BrowserAccess, AuthCheckKind.IssuerDiscovery, AuthCheckKind.BrowserAccess, AuthCheckKind.IssuerMatch, AuthCheckKind.KeySet],
            auth.Checks.Select(c => c.Kind));
        Assert.All(auth.Checks, c => Assert.True(c.Passed, c.Detail));
        Assert.Equal("It answered a key set with 1 key.", auth.Checks[^1].Detail);
        Assert.Equal($"It names the issuer {server.Issuer} and every endpoint clients need.", auth.Checks[0].Detail);
        Assert.Equal($"Login uses OAuth 2.0 (next-generation auth) with the issuer {server.Issuer}", auth.Summary);
        Assert.Single(run.Events.OfType<AuthEvent>());
        AssertVerdict(run, VerdictStatus.Works, goFederationOk: true);
    }

    [Fact]
    public async Task A_server_without_OAuth_metadata_uses_classic_login_without_a_finding()
    {
        var run = await Run(new LabCallsServer(Lab, Name) { Oidc = false });
        var auth = run.Report.Auth!;
        Assert.Equal(AuthStatus.Legacy, auth.Status);
        Assert.Null(auth.Issuer);
        Assert.Empty(auth.Checks);
        Assert.Equal(3, auth.Requests.Count);
        Assert.DoesNotContain(run.Findings, f => f.Id.StartsWith("auth.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_issuer_whose_document_names_another_issuer_is_a_mismatch()
    {
        var server = new LabCallsServer(Lab, Name) { DocumentIssuer = $"https://auth.{Name}" };
        var run = await Run(server);
        Assert.Equal(AuthStatus.Broken, run.Report.Auth!.Status);
        var finding = AssertFinding(run, "auth.issuer_mismatch", Severity.Error, $"auth.{Name}");
        Assert.Contains($"\"https://auth.{Name}/\"", finding.Detail, StringComparison.Ordinal);
        Assert.Contains($"\"https://auth.{Name}\"", finding.Detail, StringComparison.Ordinal);
        Assert.False(run.Report.Auth.Checks.Single(c => c.Kind == AuthCheckKind.IssuerMatch).Passed);
        AssertVerdict(run, VerdictStatus.Works, goFederationOk: true);

        // The report keeps English; a German reader gets the summary in German with both issuers as the server sent them.
        Assert.Equal($"The issuer's own document names https://auth.{Name}, not https://auth.{Name}/", finding.Summary);
        var german = MatrixTester.Diagnostics.Languages.In("de", () => finding.Words());
        Assert.Equal($"Das eigene Dokument des Issuers nennt https://auth.{Name}, nicht https://auth.{Name}/", german.Summary);
        Assert.Equal(finding.Detail, german.Detail);
    }

    [Fact]
    public async Task Login_metadata_without_what_clients_require_cannot_be_used()
    {
        var run = await Run(new LabCallsServer(Lab, Name) { IncompleteMetadata = true });
        Assert.Equal(AuthStatus.Broken, run.Report.Auth!.Status);
        var finding = AssertFinding(run, "auth.unreachable", Severity.Error, Name);
        Assert.Contains("lacks registration_endpoint, \"S256\" in code_challenge_methods_supported", finding.Detail, StringComparison.Ordinal);
        Assert.False(run.Report.Auth.Checks[0].Passed);
    }

    [Fact]
    public async Task An_issuer_that_does_not_answer_is_unreachable()
    {
        var run = await Run(new LabCallsServer(Lab, Name) { IssuerServed = false });
        Assert.Equal(AuthStatus.Broken, run.Report.Auth!.Status);
        var finding = AssertFinding(run, "auth.unreachable", Severity.Error, $"auth.{Name}");
        Assert.Contains("/.well-known/openid-configuration", finding.Summary, StringComparison.Ordinal);
        AssertVerdict(run, VerdictStatus.Works, goFederationOk: true);
    }
}
