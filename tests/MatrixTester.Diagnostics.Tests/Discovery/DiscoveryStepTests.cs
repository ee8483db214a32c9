using System.Net;
using MatrixTester.Diagnostics.Discovery;
using MatrixTester.Diagnostics.DnsLookup;
using MatrixTester.Diagnostics.Findings;
using MatrixTester.Lab;
using Microsoft.AspNetCore.Http;

namespace MatrixTester.Diagnostics.Tests.Discovery;

/// <summary>Each row of the spec's "Resolving server names" algorithm (steps 1 to 6) as a lab scenario, asserting the resolved endpoints: address, port, Host, TLS name and step.</summary>
public sealed class DiscoveryStepTests : DiscoveryLabTest
{
    [Fact]
    public async Task Step1_an_IPv4_literal_is_used_directly_on_port_8448_without_any_lookup()
    {
        var ip = FederationLab.NewAddress();
        var run = await Lab.DiagnoseAsync(ip.ToString());
        AssertEndpoint(Assert.Single(run.Report.Discovery!.Endpoints), ip, 8448, ip.ToString(), ip.ToString(), DiscoveryStep.IpLiteral);
        Assert.Equal(WellKnownOutcome.NotApplicable, run.Report.Discovery.WellKnown.Outcome);
        Assert.Empty(Lab.Dns.QueryLog);
        Assert.True(run.Has("server_name.ip_literal"));
    }

    [Fact]
    public async Task Step1_a_bracketed_IPv6_literal_with_port_keeps_the_brackets_in_the_Host_header()
    {
        var run = await Lab.DiagnoseAsync("[::1]:8449");
        AssertEndpoint(Assert.Single(run.Report.Discovery!.Endpoints), IPAddress.IPv6Loopback, 8449, "[::1]:8449", "::1", DiscoveryStep.IpLiteral);
    }

    [Fact]
    public async Task Step2_an_explicit_port_skips_well_known_and_SRV_and_sends_host_with_port()
    {
        var ip = Address("example.test", Lab);
        Lab.Zone.Srv("_matrix-fed._tcp.example.test", "elsewhere.example.test", 1);
        var run = await Lab.DiagnoseAsync("example.test:8449");
        AssertEndpoint(Assert.Single(run.Report.Discovery!.Endpoints), ip, 8449, "example.test:8449", "example.test", DiscoveryStep.ExplicitPort);
        Assert.DoesNotContain(Lab.Dns.QueryLog, q => q.Type == DnsRecordType.SRV);
        Assert.Equal(WellKnownOutcome.NotApplicable, run.Report.Discovery.WellKnown.Outcome);
    }

    [Fact]
    public async Task Step3_1_well_known_delegating_to_an_IP_literal_uses_the_IP_as_Host_and_TLS_name()
    {
        var target = FederationLab.NewAddress();
        await WellKnownHost("example.test", r => r.Delegate($"{target}:8450"));
        var run = await Lab.DiagnoseAsync("example.test");
        AssertEndpoint(Assert.Single(run.Report.Discovery!.Endpoints), target, 8450, $"{target}:8450", target.ToString(), DiscoveryStep.WellKnownIpLiteral);
    }

    [Fact]
    public async Task Step3_2_well_known_delegating_to_host_and_port_resolves_the_delegated_host()
    {
        await WellKnownHost("example.test", r => r.Delegate("matrix.example.test:443"));
        var hs = Address("matrix.example.test", Lab);
        var run = await Lab.DiagnoseAsync("example.test");
        Assert.Equal(WellKnownOutcome.Delegated, run.Report.Discovery!.WellKnown.Outcome);
        AssertEndpoint(Assert.Single(run.Report.Discovery.Endpoints), hs, 443, "matrix.example.test:443", "matrix.example.test", DiscoveryStep.WellKnownExplicitPort);
        // Delegation is not recursive: the delegated host's own well-known is never asked for.
        Assert.DoesNotContain(Lab.Dns.QueryLog, q => q.Name.Contains("_matrix", StringComparison.Ordinal) && q.Name.EndsWith("matrix.example.test", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Step3_3_well_known_host_without_port_uses_its_matrix_fed_SRV_but_keeps_the_delegated_name_for_Host_and_TLS()
    {
        await WellKnownHost("example.test", r => r.Delegate("matrix.example.test"));
        Lab.Zone.Srv("_matrix-fed._tcp.matrix.example.test", "hs1.example.test", 8451, priority: 10, weight: 5);
        var hs = Address("hs1.example.test", Lab);
        var run = await Lab.DiagnoseAsync("example.test");
        AssertEndpoint(Assert.Single(run.Report.Discovery!.Endpoints), hs, 8451, "matrix.example.test", "matrix.example.test", DiscoveryStep.WellKnownSrv, "hs1.example.test");
    }

    [Fact]
    public async Task Step3_4_well_known_host_with_only_the_deprecated_SRV_uses_it_with_a_warning()
    {
        await WellKnownHost("example.test", r => r.Delegate("matrix.example.test"));
        Lab.Zone.Srv("_matrix._tcp.matrix.example.test", "hs1.example.test", 8452);
        var hs = Address("hs1.example.test", Lab);
        var run = await Lab.DiagnoseAsync("example.test");
        AssertEndpoint(Assert.Single(run.Report.Discovery!.Endpoints), hs, 8452, "matrix.example.test", "matrix.example.test", DiscoveryStep.WellKnownDeprecatedSrv, "hs1.example.test");
        Assert.Equal(Severity.Warning, run.Finding("srv.deprecated").Severity);
    }

    [Fact]
    public async Task Step3_5_well_known_host_without_SRV_records_uses_port_8448()
    {
        await WellKnownHost("example.test", r => r.Delegate("matrix.example.test"));
        var hs = Address("matrix.example.test", Lab);
        var run = await Lab.DiagnoseAsync("example.test");
        AssertEndpoint(Assert.Single(run.Report.Discovery!.Endpoints), hs, 8448, "matrix.example.test", "matrix.example.test", DiscoveryStep.WellKnownDefaultPort);
    }

    [Fact]
    public async Task Step4_no_well_known_uses_matrix_fed_SRV_of_the_server_name_with_the_server_name_as_TLS_name()
    {
        await WellKnownHost("example.test", _ => { });
        Lab.Zone.Srv("_matrix-fed._tcp.example.test", "hs.example.test", 8453);
        var hs = Address("hs.example.test", Lab);
        var run = await Lab.DiagnoseAsync("example.test");
        Assert.Equal(WellKnownOutcome.NotFound, run.Report.Discovery!.WellKnown.Outcome);
        Assert.True(run.Has("wellknown.not_found"));
        AssertEndpoint(Assert.Single(run.Report.Discovery.Endpoints), hs, 8453, "example.test", "example.test", DiscoveryStep.Srv, "hs.example.test");
    }

    [Fact]
    public async Task Step5_only_the_deprecated_SRV_of_the_server_name_is_used_with_a_warning()
    {
        await WellKnownHost("example.test", _ => { });
        Lab.Zone.Srv("_matrix._tcp.example.test", "hs.example.test", 8454);
        var hs = Address("hs.example.test", Lab);
        var run = await Lab.DiagnoseAsync("example.test");
        AssertEndpoint(Assert.Single(run.Report.Discovery!.Endpoints), hs, 8454, "example.test", "example.test", DiscoveryStep.DeprecatedSrv, "hs.example.test");
        Assert.True(run.Has("srv.deprecated"));
    }

    [Fact]
    public async Task Both_SRV_names_present_uses_matrix_fed_and_says_the_old_one_is_ignored()
    {
        await WellKnownHost("example.test", _ => { });
        Lab.Zone.Srv("_matrix-fed._tcp.example.test", "new.example.test", 8455);
        Lab.Zone.Srv("_matrix._tcp.example.test", "old.example.test", 8456);
        var hs = Address("new.example.test", Lab);
        Address("old.example.test", Lab);
        var run = await Lab.DiagnoseAsync("example.test");
        AssertEndpoint(Assert.Single(run.Report.Discovery!.Endpoints), hs, 8455, "example.test", "example.test", DiscoveryStep.Srv, "new.example.test");
        Assert.True(run.Has("srv.deprecated_ignored"));
        Assert.False(run.Has("srv.deprecated"));
    }

    [Fact]
    public async Task Step6_no_well_known_and_no_SRV_uses_the_server_names_addresses_on_8448()
    {
        var ip = await WellKnownHost("example.test", _ => { });
        var run = await Lab.DiagnoseAsync("example.test");
        AssertEndpoint(Assert.Single(run.Report.Discovery!.Endpoints), ip, 8448, "example.test", "example.test", DiscoveryStep.DefaultPort);
    }
}
