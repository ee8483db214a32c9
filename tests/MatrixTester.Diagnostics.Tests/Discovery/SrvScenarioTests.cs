using MatrixTester.Diagnostics.Discovery;
using MatrixTester.Diagnostics.DnsLookup;
using MatrixTester.Diagnostics.Findings;
using MatrixTester.Lab;
using MatrixTester.Lab.Dns;

namespace MatrixTester.Diagnostics.Tests.Discovery;

/// <summary>SRV records (spec steps 3.3, 3.4, 4 and 5): ordering, CNAME targets, the "." target, failed lookups and targets without addresses.</summary>
public sealed class SrvScenarioTests : DiscoveryLabTest
{
    [Fact]
    public async Task SRV_records_are_ordered_by_priority_then_weight()
    {
        await WellKnownHost("example.test", _ => { });
        Lab.Zone.Srv("_matrix-fed._tcp.example.test", "backup.example.test", 8460, priority: 20, weight: 0)
            .Srv("_matrix-fed._tcp.example.test", "light.example.test", 8461, priority: 10, weight: 1)
            .Srv("_matrix-fed._tcp.example.test", "heavy.example.test", 8462, priority: 10, weight: 50);
        var backup = Address("backup.example.test", Lab);
        var light = Address("light.example.test", Lab);
        var heavy = Address("heavy.example.test", Lab);
        var run = await Lab.DiagnoseAsync("example.test");
        Assert.Equal([heavy, light, backup], run.Report.Discovery!.Endpoints.Select(e => e.Address));
        Assert.Equal([8462, 8461, 8460], run.Report.Discovery.Endpoints.Select(e => e.Port));
    }

    [Fact]
    public async Task An_SRV_target_that_is_a_CNAME_is_followed_with_a_warning()
    {
        await WellKnownHost("example.test", _ => { });
        Lab.Zone.Srv("_matrix-fed._tcp.example.test", "alias.example.test", 8463).Cname("alias.example.test", "real.example.test");
        var real = Address("real.example.test", Lab);
        var run = await Lab.DiagnoseAsync("example.test");
        Assert.Equal(real, Assert.Single(run.Report.Discovery!.Endpoints).Address);
        Assert.Equal(Severity.Warning, run.Finding("srv.target_cname").Severity);
    }

    [Fact]
    public async Task An_SRV_target_of_dot_means_federation_is_not_offered()
    {
        await WellKnownHost("example.test", _ => { });
        Lab.Zone.Srv("_matrix-fed._tcp.example.test", ".", 0);
        var run = await Lab.DiagnoseAsync("example.test");
        Assert.Equal(Severity.Error, run.Finding("srv.not_offered").Severity);
        Assert.Empty(run.Report.Discovery!.Endpoints);
    }

    [Fact]
    public async Task SRV_SERVFAIL_is_an_error_distinct_from_no_record()
    {
        await WellKnownHost("example.test", _ => { });
        Lab.Zone.Rcode("_matrix-fed._tcp.example.test", LabRcode.ServFail);
        var run = await Lab.DiagnoseAsync("example.test");
        var finding = run.Finding("srv.lookup_failed");
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Contains("SERVFAIL", finding.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_SRV_target_without_addresses_is_an_error()
    {
        await WellKnownHost("example.test", _ => { });
        Lab.Zone.Srv("_matrix-fed._tcp.example.test", "ghost.example.test", 8464);
        var run = await Lab.DiagnoseAsync("example.test");
        Assert.True(run.Has("srv.target_unresolvable"));
        Assert.True(run.Has("discovery.no_endpoints"));
    }
}
