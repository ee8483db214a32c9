using MatrixTester.Web.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.Tests.Storage;

public sealed class StorageConfigurationTests(SiteFixture fixture) : IClassFixture<SiteFixture>
{
    [Fact]
    public void The_defaults_are_sqlite_kept_for_ninety_days()
    {
        var options = fixture.Site.Services.GetRequiredService<IOptions<StorageOptions>>().Value;
        Assert.Equal(StorageProvider.Sqlite, options.Provider);
        Assert.Equal(90, options.RetentionDays);
        Assert.Null(new StorageOptions { RetentionDays = 0 }.Cutoff(DateTimeOffset.UnixEpoch));
    }

    [Theory]
    [InlineData("Storage:Provider", "Postgres")] // without a connection string
    [InlineData("Storage:ConnectionString", "Host=127.0.0.1;NoSuchSetting=1", true)]
    [InlineData("Storage:RetentionDays", "-1")]
    [InlineData("Storage:CleanupInterval", "00:00:00")]
    [InlineData("Metrics:AllowedNetworks:0", "10.0.0.0/33")]
    [InlineData("Metrics:AllowedNetworks:0", "example.test")]
    public void Invalid_settings_stop_the_site_at_start(string key, string value, bool postgres = false)
    {
        var settings = new Dictionary<string, string?> { [key] = value };
        if (postgres)
        {
            settings["Storage:Provider"] = "Postgres";
        }
        using var factory = fixture.Site.WithWebHostBuilder(b => b.ConfigureAppConfiguration((_, c) => c.AddInMemoryCollection(settings)));
        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.IsType<OptionsValidationException>(error.GetBaseException(), exactMatch: false);
    }
}
