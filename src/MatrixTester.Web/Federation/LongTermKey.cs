using MatrixTester.Web.Storage;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.Federation;

/// <summary>
/// The long-term signing key, loaded (or created) from <c>Federation:SigningKeyPath</c> once, when first used: the
/// site loads it before it starts (<see cref="FederationServices.CheckSigningKey"/>), so a damaged file stops the
/// start with a message instead of failing the first key request.
/// </summary>
public sealed class LongTermKey(IOptions<FederationOptions> options, IOptions<StorageOptions> storage)
{
    private readonly Lazy<SigningKey> _key = new(() => SigningKeyFile.LoadOrCreate(PathOf(options.Value, storage.Value)));

    public SigningKey Key => _key.Value;

    /// <summary>The configured path, or <c>signing.key</c> in the data directory.</summary>
    public static string PathOf(FederationOptions federation, StorageOptions storage)
    {
        ArgumentNullException.ThrowIfNull(federation);
        ArgumentNullException.ThrowIfNull(storage);
        return Path.GetFullPath(string.IsNullOrWhiteSpace(federation.SigningKeyPath)
            ? Path.Combine(storage.DataDirectory, "signing.key")
            : federation.SigningKeyPath);
    }
}
