using MatrixTester.Diagnostics;
using MatrixTester.Lab;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.Tests;

/// <summary>Settings arrive in the usual ASP.NET Core shapes, and bad ones stop the site at start.</summary>
public sealed class ConfigurationTests(SiteFixture fixture) : IClassFixture<SiteFixture>
{
    [Fact]
    public void The_lab_settings_bind_to_the_engine_options()
    {
        var options = fixture.Site.Services.GetRequiredService<IOptions<DiagnosisOptions>>().Value;
        Assert.Equal([fixture.Lab.Dns.EndPoint.ToString()], options.NameServers);
        Assert.Equal(FederationLab.RootPemPath, options.ExtraTrustedRoots);
        Assert.True(options.AllowPrivateNetworks);
        Assert.Equal(TimeSpan.FromMinutes(1), options.OverallDeadline);
    }

    [Fact]
    public void Private_networks_are_refused_unless_configured()
    {
        Assert.False(new DiagnosisOptions().AllowPrivateNetworks);
    }

    [Theory]
    [InlineData("Diagnosis:NameServers:0", "dns.example.test")]
    [InlineData("Diagnosis:ExtraTrustedRoots", "/nonexistent/roots.pem")]
    [InlineData("Diagnosis:OverallDeadline", "01:00:00")]
    [InlineData("Storage:DataDirectory", "")]
    [InlineData("Site:DocsPath", "/nonexistent/docs")]
    public void Invalid_settings_stop_the_site_at_start(string key, string value)
    {
        using var factory = fixture.Site.WithWebHostBuilder(b => b.ConfigureAppConfiguration((_, c) =>
            c.AddInMemoryCollection(new Dictionary<string, string?> { [key] = value })));
        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.IsType<OptionsValidationException>(error.GetBaseException(), exactMatch: false);
    }
}
