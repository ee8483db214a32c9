using MatrixTester.Web.Abuse;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.Tests;

/// <summary>The <c>Abuse</c> section binds from ordinary configuration, and nonsense stops the site at start.</summary>
public sealed class AbuseConfigurationTests(SiteFixture fixture) : IClassFixture<SiteFixture>
{
    [Fact]
    public void The_defaults_are_those_documented_and_trust_no_proxy()
    {
        var defaults = new AbuseOptions();
        Assert.Equal((10, 1, TimeSpan.FromSeconds(6)), (defaults.RateLimit.TokenLimit, defaults.RateLimit.TokensPerPeriod, defaults.RateLimit.ReplenishmentPeriod));
        Assert.Equal((16, 64), (defaults.MaxConcurrentDiagnoses, defaults.MaxQueuedDiagnoses));
        Assert.Equal((4, 8, 16), (defaults.MaxRunningPerClient, defaults.MaxQueuedPerClient, defaults.QueueReservedForNewClients));
        Assert.Equal((TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(15)), (defaults.ReuseWindow, defaults.RunAgainMinimumInterval));
        Assert.Empty(defaults.KnownProxies);
        Assert.Empty(defaults.KnownNetworks);
    }

    [Fact]
    public void Proxies_and_networks_bind_from_configuration()
    {
        using var factory = fixture.Site.WithWebHostBuilder(b => b.ConfigureAppConfiguration((_, c) => c.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Abuse:KnownProxies:0"] = "10.0.0.5",
            ["Abuse:KnownNetworks:0"] = "fd00::/8",
            ["Abuse:MaxConcurrentDiagnoses"] = "3",
        })));
        var options = factory.Services.GetRequiredService<IOptions<AbuseOptions>>().Value;
        Assert.Equal(["10.0.0.5"], options.KnownProxies);
        Assert.Equal(["fd00::/8"], options.KnownNetworks);
        Assert.Equal(3, options.MaxConcurrentDiagnoses);
    }

    [Theory]
    [InlineData("Abuse:KnownProxies:0", "proxy.example.test")]
    [InlineData("Abuse:KnownNetworks:0", "10.0.0.0")]
    [InlineData("Abuse:MaxConcurrentDiagnoses", "0")]
    [InlineData("Abuse:RateLimit:TokenLimit", "0")]
    [InlineData("Abuse:MaxRunningPerClient", "0")]
    [InlineData("Abuse:MaxQueuedPerClient", "-1")]
    [InlineData("Abuse:QueueReservedForNewClients", "-1")]
    [InlineData("Abuse:ReuseWindow", "-00:00:01")]
    public void Invalid_abuse_settings_stop_the_site_at_start(string key, string value)
    {
        using var factory = fixture.Site.WithWebHostBuilder(b => b.ConfigureAppConfiguration((_, c) =>
            c.AddInMemoryCollection(new Dictionary<string, string?> { [key] = value })));
        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.IsType<OptionsValidationException>(error.GetBaseException(), exactMatch: false);
    }

    [Theory]
    [InlineData("203.0.113.9", "203.0.113.9")]
    [InlineData("::ffff:203.0.113.9", "203.0.113.9")]
    [InlineData("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64")]
    public void Clients_are_counted_per_ipv4_address_and_per_ipv6_64(string address, string partition)
    {
        Assert.Equal(partition, ClientAddress.PartitionKey(System.Net.IPAddress.Parse(address)));
    }
}
