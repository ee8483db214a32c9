using MatrixTester.Diagnostics.Keys;
using MatrixTester.Web.Federation;
using Microsoft.Extensions.DependencyInjection;

namespace MatrixTester.Web.Tests.Federation;

/// <summary>The long-term key file: Synapse's format, created 0600 on first start, reused after, refused when damaged.</summary>
public sealed class SigningKeyFileTests(SiteFixture fixture) : IClassFixture<SiteFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_first_start_creates_a_synapse_format_key_readable_only_by_the_site_and_later_starts_reuse_it()
    {
        var directory = FederationSite.NewDirectory(fixture.DataDirectory);
        var path = Path.Combine(directory, "keys", "tester.signing.key");
        string served;
        await using (var site = FederationSite.Create(fixture.Lab, directory, ("Federation:SigningKeyPath", path)))
        {
            served = await site.CreateClient().GetStringAsync("/_matrix/key/v2/server", Ct);
        }
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        var text = File.ReadAllText(path);
        Assert.Matches("^ed25519 a_[A-Za-z0-9]{4} [A-Za-z0-9+/]{43}\n$", text);
        var fields = text.Split(' ');
        Assert.True(UnpaddedBase64.TryDecode(fields[2].Trim(), out var seed, out _));
        var publicKey = UnpaddedBase64.Encode(Ed25519.PublicKeyFromSeed(seed));
        Assert.Contains($"\"ed25519:{fields[1]}\":{{\"key\":\"{publicKey}\"}}", served, StringComparison.Ordinal);

        await using (var again = FederationSite.Create(fixture.Lab, directory, ("Federation:SigningKeyPath", path)))
        {
            Assert.Equal(publicKey, again.Services.GetRequiredService<LongTermKey>().Key.PublicKeyBase64);
        }
        Assert.Equal(text, File.ReadAllText(path));
    }

    [Fact]
    public void A_key_written_by_synapse_is_read_as_is()
    {
        // The RFC 8032 test 1 seed, as Synapse writes a key: "ed25519 <version> <unpadded base64>".
        var seed = Convert.FromHexString("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        var key = SigningKeyFile.Parse($"ed25519 a_AbC1 {UnpaddedBase64.Encode(seed)}\n", "k");
        Assert.Equal("ed25519:a_AbC1", key.KeyId);
        Assert.Equal("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", Convert.ToHexStringLower(key.PublicKey));
        Assert.Equal("ed25519:a_AbC1", key.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a key")]
    [InlineData("ed25519 a_AbC1")]
    [InlineData("ed448 a_AbC1 nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A")]
    [InlineData("ed25519 a-b nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A")]
    [InlineData("ed25519 a_AbC1 nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyu")]
    [InlineData("ed25519 a_AbC1 !!!!")]
    public async Task A_damaged_key_file_stops_the_start_with_a_clear_message_and_is_left_alone(string content)
    {
        var directory = FederationSite.NewDirectory(fixture.DataDirectory);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "signing.key");
        File.WriteAllText(path, content);
        await using var site = FederationSite.Create(fixture.Lab, directory);
        var error = Assert.ThrowsAny<Exception>(() => site.CreateClient());
        var message = Flatten(error);
        Assert.Contains("Federation:SigningKeyPath", message, StringComparison.Ordinal);
        Assert.Contains(path, message, StringComparison.Ordinal);
        Assert.Contains("is not a signing key", message, StringComparison.Ordinal);
        Assert.Equal(content, File.ReadAllText(path));
    }

    [Theory]
    [InlineData("Federation:ServerName", "not a server name!")]
    [InlineData("Federation:ServerName", "tester.example.test:99999")]
    [InlineData("Federation:WellKnownServer", "https://tester.example.test/")]
    [InlineData("Federation:MaxActiveProbes", "0")]
    public async Task Invalid_federation_settings_stop_the_start(string key, string value)
    {
        await using var site = FederationSite.Create(fixture.Lab, FederationSite.NewDirectory(fixture.DataDirectory), (key, value));
        var message = Flatten(Assert.ThrowsAny<Exception>(() => site.CreateClient()));
        Assert.Contains(key.Split(':')[1], message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_start_reports_its_cause_every_time_and_starts_nothing()
    {
        // The start used to race its own shutdown: background work begun before the key was read kept running while
        // the host went down, and the test's factory could find the services disposed ("Cannot access a disposed
        // object") instead of the key file's message. The key is now read before anything starts.
        var directory = FederationSite.NewDirectory(fixture.DataDirectory);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "signing.key");
        File.WriteAllText(path, "not a key");
        for (var attempt = 0; attempt < 10; attempt++)
        {
            await using var site = FederationSite.Create(fixture.Lab, directory);
            var error = Assert.ThrowsAny<Exception>(() => site.CreateClient());
            var invalid = Assert.IsType<InvalidSettingException>(error);
            Assert.StartsWith($"Federation:SigningKeyPath: {path} is not a signing key", invalid.Message, StringComparison.Ordinal);
        }
        // Nothing ran: no migration made the database, no key ring was written.
        Assert.Equal(["signing.key"], Directory.GetFileSystemEntries(directory).Select(Path.GetFileName));
    }

    private static string Flatten(Exception error) =>
        error is AggregateException aggregate ? string.Join(" | ", aggregate.InnerExceptions.Select(Flatten)) : error.Message + (error.InnerException is { } inner ? " | " + Flatten(inner) : "");
}
