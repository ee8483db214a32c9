using System.Net;
using MatrixTester.Diagnostics.Discovery;
using MatrixTester.Diagnostics.Findings;
using MatrixTester.Lab;
using MatrixTester.Lab.Dns;

namespace MatrixTester.Diagnostics.Tests.Discovery;

/// <summary>Address lookups: NXDOMAIN, REFUSED, silent and failing name servers, address families, and the private-address guard.</summary>
public sealed class AddressLookupScenarioTests : DiscoveryLabTest
{
    [Fact]
    public async Task A_server_name_that_does_not_exist_is_NXDOMAIN()
    {
        var run = await Lab.DiagnoseAsync("nowhere.test");
        Assert.Equal(Severity.Error, run.Finding("dns.nxdomain").Severity);
        Assert.True(run.Has("discovery.no_endpoints"));
        Assert.False(run.Report.Verdict.FederationOk);
    }

    [Fact]
    public async Task A_name_server_refusing_the_lookup_is_reported_as_REFUSED_not_as_missing()
    {
        Lab.Zone.Rcode("example.test", LabRcode.Refused);
        var run = await Lab.DiagnoseAsync("example.test:8448");
        Assert.Contains("REFUSED", run.Finding("dns.refused").Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_silent_name_server_is_a_DNS_timeout_not_a_missing_name()
    {
        Lab.Zone.Drop("example.test");
        var run = await Lab.DiagnoseAsync("example.test:8448", o => o.DnsTimeout = TimeSpan.FromMilliseconds(400));
        Assert.Equal(Severity.Error, run.Finding("dns.timeout").Severity);
        Assert.False(run.Has("dns.nxdomain"));
    }

    [Fact]
    public async Task SERVFAIL_on_the_address_lookup_is_its_own_finding()
    {
        Lab.Zone.Rcode("example.test", LabRcode.ServFail);
        var run = await Lab.DiagnoseAsync("example.test:8448");
        Assert.Contains("SERVFAIL", run.Finding("dns.servfail").Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_IPv6_only_delegated_host_gives_a_bracketed_endpoint()
    {
        Lab.Zone.Aaaa("v6.example.test", "::1");
        var run = await Lab.DiagnoseAsync("v6.example.test:8465");
        var endpoint = Assert.Single(run.Report.Discovery!.Endpoints);
        AssertEndpoint(endpoint, IPAddress.IPv6Loopback, 8465, "v6.example.test:8465", "v6.example.test", DiscoveryStep.ExplicitPort);
        Assert.Equal("[::1]:8465", endpoint.Key);
    }

    [Fact]
    public async Task A_dual_stack_host_gives_one_endpoint_per_address_IPv6_first()
    {
        var v4 = FederationLab.NewAddress();
        Lab.Zone.Aaaa("dual.example.test", "::1").A("dual.example.test", v4.ToString());
        var run = await Lab.DiagnoseAsync("dual.example.test:8466");
        Assert.Equal([IPAddress.IPv6Loopback, v4], run.Report.Discovery!.Endpoints.Select(e => e.Address));
    }

    [Fact]
    public async Task Private_addresses_are_refused_without_connecting_unless_allowed()
    {
        var host = await WellKnownHost("example.test", r => r.Delegate("matrix.example.test:443"));
        var labHost = Lab;
        var run = await labHost.DiagnoseAsync("example.test", o => o.AllowPrivateNetworks = false);
        var refused = run.Findings.Where(f => f.Id == "net.address_refused").ToList();
        Assert.NotEmpty(refused);
        Assert.Contains("loopback", refused[0].Detail, StringComparison.Ordinal);
        Assert.Equal(WellKnownOutcome.NoAddress, run.Report.Discovery!.WellKnown.Outcome);
        Assert.Contains(run.Report.Discovery.Endpoints, e => e.Address.Equals(host));
        Assert.False(run.Report.Verdict.FederationOk);
    }
}
