using System.Security.Cryptography;
using MatrixTester.Diagnostics.RtcToken;
using MatrixTester.Web.Storage;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.Federation;

/// <summary>
/// The site as the homeserver of the call token check's test users. Registered only when <c>Federation:ServerName</c>
/// is set. Each check gets, per authorization service, a fresh user "@matrixtester-…:&lt;us&gt;" and a random OpenID
/// token (256 bits) that lives at most <see cref="FederationOptions.TokenLifetime"/> and ends with the check; only
/// its SHA-256 is stored, in the shared store, so any instance answers the service's call-back
/// (<see cref="UserInfoEndpoint"/>). A check belongs to the client that asked for the diagnosis (<see cref="ProbeOwner"/>).
/// </summary>
public sealed class OpenIdIssuer(IOptions<FederationOptions> options, OpenIdStore store, TimeProvider time) : IOpenIdIssuer
{
    private readonly FederationOptions _options = options.Value;
    private readonly OpenIdStore _store = store;
    private readonly TimeProvider _time = time;

    public string ServerName => _options.ServerName!;

    /// <exception cref="TokenCheckUnavailableException">The store is not answering, the target was checked within the interval, or the caps are full.</exception>
    public async Task<IOpenIdProbe> StartAsync(string targetServerName, int services, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(targetServerName);
        ArgumentOutOfRangeException.ThrowIfLessThan(services, 1);
        var grants = Enumerable.Range(0, services).Select(_ => new OpenIdGrant(
            $"@matrixtester-{RandomNumberGenerator.GetHexString(12, lowercase: true)}:{ServerName}",
            "mto_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_'))).ToArray();
        var checkId = RandomNumberGenerator.GetHexString(24, lowercase: true);
        // Stored in milliseconds: call-backs read back on another instance count from the very same instant.
        var now = DateTimeOffset.FromUnixTimeMilliseconds(_time.GetUtcNow().ToUnixTimeMilliseconds());
        string? refusal;
        try
        {
            refusal = await _store.StartAsync(new TokenCheckStart(checkId, targetServerName, ProbeOwner.Current, [.. grants.Select(g => (Hash(g.AccessToken), g.UserId))]),
                now, TokenCheckLimits.From(_options), cancellationToken);
        }
        catch (StoreUnavailableException e)
        {
            throw new TokenCheckUnavailableException("the tester could not start its call token check: the result store, which every instance answers call-backs from, is not answering", e);
        }
        if (refusal is not null)
        {
            throw new TokenCheckUnavailableException(refusal);
        }
        return new Probe(checkId, grants, now, this);
    }

    /// <summary>The stored form of a token: lowercase hex SHA-256 of its UTF-8 bytes.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)));

    private sealed class Probe(string checkId, IReadOnlyList<OpenIdGrant> grants, DateTimeOffset startedAt, OpenIdIssuer owner) : IOpenIdProbe
    {
        private int _released;

        public IReadOnlyList<OpenIdGrant> Grants => grants;

        public DateTimeOffset StartedAt => startedAt;

        public TimeSpan Lifetime => owner._options.TokenLifetime;

        public async Task<IReadOnlyList<OpenIdCallback>> CallbacksAsync(CancellationToken cancellationToken)
        {
            try
            {
                return await owner._store.CallbacksAsync(checkId, startedAt, grants.Count * owner._options.MaxCallbacksPerToken, cancellationToken);
            }
            catch (StoreUnavailableException e)
            {
                throw new TokenCheckUnavailableException("the tester could not read its call token check's log: the result store is not answering", e);
            }
        }

        public async Task ReleaseAsync(CancellationToken cancellationToken)
        {
            if (Interlocked.Exchange(ref _released, 1) == 1)
            {
                return;
            }
            try
            {
                await owner._store.ReleaseAsync(checkId, owner._time.GetUtcNow(), cancellationToken);
            }
            catch (StoreUnavailableException)
            {
                // The tokens expire at the end of their lifetime instead.
            }
        }

        public override string ToString() => checkId;
    }
}
