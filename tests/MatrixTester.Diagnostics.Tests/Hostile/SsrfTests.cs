using System.Net;
using MatrixTester.Diagnostics.Federation;
using MatrixTester.Diagnostics.Findings;
using MatrixTester.Lab;
using MatrixTester.Lab.Hosts;
using MatrixTester.Lab.Keys;

namespace MatrixTester.Diagnostics.Tests.Hostile;

/// <summary>
/// The public site must never become a proxy into private networks. These scenarios run with
/// AllowPrivateNetworks=false; lab hosts that play "public" servers are let through one by one with
/// AllowedNetworks, and every other (loopback) address must be refused before a packet is sent: the hosts behind
/// them record every request, and their logs must stay empty.
/// </summary>
public sealed class SsrfTests : LabTest
{
    private static Action<DiagnosisOptions> Public(params IPAddress[] publicAddresses) => o =>
    {
        o.AllowPrivateNetworks = false;
        foreach (var address in publicAddresses)
        {
            o.AllowedNetworks.Add($"{address}/32");
        }
    };

    /// <summary>An "internal" service that must never be reached: a homeserver-like host that logs requests.</summary>
    private async Task<(IPAddress Address, LabHttpsHost Host)> Internal(string name, int port = 8448)
    {
        var address = FederationLab.NewAddress();
        var host = await Lab.HttpsAsync(address, port, Lab.Pki.Issue(name), r => r.Homeserver(name, LabSigningKey.Create()));
        return (address, host);
    }

    private static void AssertRefused(LabRun run, LabHttpsHost target, string rangeFragment = "loopback")
    {
        var refused = run.Findings.Where(f => f.Id == "net.address_refused").ToList();
        Assert.NotEmpty(refused);
        Assert.Contains(refused, f => f.Detail.Contains(rangeFragment, StringComparison.Ordinal));
        Assert.Empty(target.RequestLog);
        Assert.False(run.Report.Verdict.FederationOk);
    }

    [Fact]
    public async Task A_name_resolving_to_loopback_is_refused_before_connecting()
    {
        var (address, host) = await Internal("internal.test");
        Lab.Zone.A("evil.test", address.ToString());
        var run = await Lab.DiagnoseAsync("evil.test:8448", Public());
        AssertRefused(run, host);
        Assert.Null(Assert.Single(run.Report.Connections).Tls);
    }

    [Fact]
    public async Task A_CNAME_chain_into_loopback_is_refused()
    {
        var (address, host) = await Internal("internal.test");
        Lab.Zone.Cname("evil.test", "hop.test").Cname("hop.test", "internal.test").A("internal.test", address.ToString());
        var run = await Lab.DiagnoseAsync("evil.test:8448", Public());
        AssertRefused(run, host);
    }

    [Fact]
    public async Task An_SRV_target_in_loopback_is_refused()
    {
        var (address, host) = await Internal("internal.test");
        Lab.Zone.Srv("_matrix-fed._tcp.evil.test", "internal.test", 8448).A("internal.test", address.ToString());
        var run = await Lab.DiagnoseAsync("evil.test", Public());
        AssertRefused(run, host);
    }

    [Fact]
    public async Task An_IPv4_mapped_IPv6_address_is_judged_by_the_address_inside()
    {
        var (address, host) = await Internal("internal.test");
        Lab.Zone.Aaaa("evil.test", $"::ffff:{address}");
        var run = await Lab.DiagnoseAsync("evil.test:8448", Public());
        AssertRefused(run, host, "IPv4-mapped");
    }

    [Fact]
    public async Task A_well_known_delegating_to_a_loopback_literal_is_refused()
    {
        var web = FederationLab.NewAddress();
        var (address, host) = await Internal(FederationLab.NewAddress().ToString());
        Lab.Zone.A("evil.test", web.ToString());
        await Lab.HttpsAsync(web, 443, Lab.Pki.Issue("evil.test"), r => r.Delegate($"{address}:8448"));
        var run = await Lab.DiagnoseAsync("evil.test", Public(web));
        Assert.Equal("delegated", run.Report.Discovery!.WellKnown.IsDelegated ? "delegated" : "not");
        AssertRefused(run, host);
    }

    [Fact]
    public async Task A_well_known_redirect_to_a_private_address_is_not_followed()
    {
        var web = FederationLab.NewAddress();
        var inside = FederationLab.NewAddress();
        var insideHost = await Lab.HttpsAsync(inside, 443, Lab.Pki.Issue(inside.ToString()), r => r.Delegate("pwned.test:443"));
        Lab.Zone.A("evil.test", web.ToString());
        await Lab.HttpsAsync(web, 443, Lab.Pki.Issue("evil.test"), r => r.Redirect("/.well-known/matrix/server", $"https://{inside}/.well-known/matrix/server"));
        var run = await Lab.DiagnoseAsync("evil.test", Public(web));
        Assert.True(run.Has("wellknown.bad_redirect"));
        Assert.Contains("non-public", run.Finding("wellknown.bad_redirect").Detail, StringComparison.Ordinal);
        Assert.Empty(insideHost.RequestLog);
    }

    [Fact]
    public async Task A_redirect_to_a_name_that_resolves_privately_is_not_followed()
    {
        var web = FederationLab.NewAddress();
        var inside = FederationLab.NewAddress();
        var insideHost = await Lab.HttpsAsync(inside, 443, Lab.Pki.Issue("intranet.test"), r => r.Delegate("pwned.test:443"));
        Lab.Zone.A("evil.test", web.ToString()).A("intranet.test", inside.ToString());
        await Lab.HttpsAsync(web, 443, Lab.Pki.Issue("evil.test"), r => r.Redirect("/.well-known/matrix/server", "https://intranet.test/.well-known/matrix/server"));
        var run = await Lab.DiagnoseAsync("evil.test", Public(web));
        Assert.True(run.Has("wellknown.bad_redirect"));
        Assert.Empty(insideHost.RequestLog);
    }

    // Numeric spellings that some parsers read as 127.0.0.1 are not server names at all; IPv6 literals are, and the
    // address policy refuses them.
    [Theory]
    [InlineData("2130706433", "server_name.invalid", "net.address_refused")]
    [InlineData("0x7f.1", "server_name.invalid", "net.address_refused")]
    [InlineData("0x7f.0x0.0x0.0x1", "server_name.invalid", "net.address_refused")]
    [InlineData("127.1", "server_name.invalid", "net.address_refused")]
    [InlineData("017700000001", "server_name.invalid", "net.address_refused")]
    [InlineData("[::ffff:7f00:1]:8448", "net.address_refused", "server_name.invalid")]
    [InlineData("[::1]", "net.address_refused", "server_name.invalid")]
    public async Task Obfuscated_loopback_spellings_never_reach_loopback(string serverName, string finding, string notFinding)
    {
        var run = await Lab.DiagnoseAsync(serverName, Public());
        Assert.True(run.Has(finding), string.Join(", ", run.Findings.Select(f => f.Id)));
        Assert.False(run.Has(notFinding), string.Join(", ", run.Findings.Select(f => f.Id)));
        Assert.DoesNotContain(run.Report.Connections, c => c.Tls is not null);
        Assert.Empty(Lab.Dns.QueryLog);
    }

    [Theory]
    [InlineData("2130706433:8448")]
    [InlineData("0x7f.1:8448")]
    [InlineData("127.1:8448")]
    public async Task Obfuscated_loopback_spellings_in_m_server_are_invalid_delegations(string mServer)
    {
        var web = FederationLab.NewAddress();
        Lab.Zone.A("evil.test", web.ToString());
        await Lab.HttpsAsync(web, 443, Lab.Pki.Issue("evil.test"), r => r.Delegate(mServer));
        var run = await Lab.DiagnoseAsync("evil.test", Public(web));
        Assert.Equal(Severity.Error, run.Finding("wellknown.invalid_m_server").Severity);
    }

    [Fact]
    public async Task The_policy_is_applied_to_the_address_actually_dialled()
    {
        // No DNS at all: the connection object is handed a loopback endpoint directly and must refuse it itself.
        var (address, host) = await Internal("internal.test");
        using var connection = new EndpointConnection(new IPEndPoint(address, 8448), "internal.test", new AddressPolicy(false), Lab.Options(),
            MatrixTester.Diagnostics.Tls.TrustAnchors.SystemOnly, TimeProvider.System);
        var exchange = await connection.SendAsync(OutboundRequest.Get("/_matrix/key/v2/server", 1024), "internal.test", () => TimeSpan.Zero, TestContext.Current.CancellationToken);
        Assert.Equal(ExchangeFailure.AddressRefused, exchange.Failure);
        Assert.Empty(host.RequestLog);
    }
}
