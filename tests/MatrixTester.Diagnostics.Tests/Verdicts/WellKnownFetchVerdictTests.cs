using System.Net;
using System.Net.Sockets;
using System.Text;
using MatrixTester.Diagnostics.Discovery;
using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Lab;
using MatrixTester.Lab.Hosts;
using MatrixTester.Lab.Keys;
using static MatrixTester.Diagnostics.Tests.Verdicts.PeerVerdict;

namespace MatrixTester.Diagnostics.Tests.Verdicts;

/// <summary>The well-known is fetched as Synapse fetches it (http redirects, the 50 KiB limit).</summary>
public sealed class WellKnownFetchVerdictTests : LabTest
{
    private readonly LabSigningKey _key = LabSigningKey.Create("ed25519:fetch");

    /// <summary>matrix.example.test:443 (delegation target) and example.test:8448 (no delegation) both serve the homeserver.</summary>
    private async Task<(IPAddress Web, IPAddress Delegated)> BothPaths(Action<LabRoutes> web)
    {
        var (webAddress, delegated) = (FederationLab.NewAddress(), FederationLab.NewAddress());
        Lab.Zone.A("example.test", webAddress.ToString()).A("matrix.example.test", delegated.ToString());
        await Lab.HttpsAsync(webAddress, 443, Lab.Pki.Issue("example.test"), web);
        await Lab.HttpsAsync(webAddress, 8448, Lab.Pki.Issue("example.test"), r => r.Homeserver("example.test", _key));
        await Lab.HttpsAsync(delegated, 443, Lab.Pki.Issue("matrix.example.test"), r => r.Homeserver("example.test", _key));
        return (webAddress, delegated);
    }

    /// <summary>A well-known body of exactly <paramref name="size"/> bytes delegating to matrix.example.test:443.</summary>
    private static string BodyOfSize(int size)
    {
        const string head = "{\"m.server\": \"matrix.example.test:443\", \"pad\": \"";
        var body = head + new string('x', size - head.Length - 2) + "\"}";
        Assert.Equal(size, Encoding.UTF8.GetByteCount(body));
        return body;
    }

    [Theory]
    [InlineData(51_199, true)]
    [InlineData(51_200, false)]
    public async Task A_well_known_body_of_50_KiB_or_more_is_refused_as_Synapse_refuses_it(int size, bool delegated)
    {
        var (web, target) = await BothPaths(r => r.WellKnown(BodyOfSize(size)));

        var run = await Lab.DiagnoseAsync("example.test");

        var endpoint = Assert.Single(run.Report.Discovery!.Endpoints);
        if (delegated)
        {
            AssertVerdict(run, VerdictStatus.Works, goFederationOk: true);
            Assert.Equal((target, 443), (endpoint.Address, endpoint.Port));
            AssertNo(run, "wellknown.too_large");
        }
        else
        {
            AssertVerdict(run, VerdictStatus.WorksWithWarnings, goFederationOk: true);
            Assert.Equal((web, 8448), (endpoint.Address, endpoint.Port));
            var finding = AssertFinding(run, "wellknown.too_large", Severity.Warning, web.ToString());
            Assert.Contains("51,200", finding.Detail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_well_known_redirect_from_https_to_plain_http_is_followed_with_a_warning()
    {
        var (web, target) = await BothPaths(r => r.Redirect("/.well-known/matrix/server", "http://example.test/.well-known/matrix/server", 301));
        PlainHttp(web, """{"m.server": "matrix.example.test:443"}""");

        var run = await Lab.DiagnoseAsync("example.test");

        AssertVerdict(run, VerdictStatus.WorksWithWarnings, goFederationOk: true);
        AssertFinding(run, "wellknown.redirect_http", Severity.Warning, web.ToString());
        AssertNo(run, "wellknown.bad_redirect");
        Assert.Equal(WellKnownOutcome.Delegated, run.Report.Discovery!.WellKnown.Outcome);
        Assert.Equal(target, Assert.Single(run.Report.Discovery.Endpoints).Address);
        Assert.Equal("http://example.test/.well-known/matrix/server", run.Report.Discovery.WellKnown.Attempts[0].Requests[^1].Url);
    }

    /// <summary>A plain HTTP/1.1 server on port 80 answering every request with <paramref name="json"/>.</summary>
    private void PlainHttp(IPAddress address, string json) => Lab.Raw(address, 80, async (socket, ct) =>
    {
        var buffer = new byte[8192];
        var received = new StringBuilder();
        while (!received.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, ct);
            if (read == 0)
            {
                return;
            }
            received.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
        var body = Encoding.UTF8.GetBytes(json);
        var head = $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n";
        await socket.SendAsync(Encoding.ASCII.GetBytes(head).Concat(body).ToArray(), SocketFlags.None, ct);
        socket.Shutdown(SocketShutdown.Send);
    });
}
