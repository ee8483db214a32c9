using MatrixTester.Diagnostics.TwoWay;
using MatrixTester.Web.Permalinks;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.Federation;

/// <summary>
/// The site's Matrix identity for the engine's two-way check. Registered only when <c>Federation:ServerName</c> is
/// set. Probes live in the result store, so whichever instance a peer's key fetch lands on serves the probe key and
/// records the fetch, and the instance that started the probe reads it back.
/// </summary>
public sealed class FederationIdentity(IOptions<FederationOptions> options, ProbeStore store, TimeProvider time) : IFederationIdentity
{
    /// <summary>"ed25519:p" and this many random letters and digits: 62^12, never guessed or cached by chance.</summary>
    public const int ProbeIdLength = 12;

    private readonly FederationOptions _options = options.Value;

    public string ServerName => _options.ServerName!;

    /// <inheritdoc/>
    /// <exception cref="ProbeUnavailableException">The store is not answering, or too many probes are running.</exception>
    public async Task<IProbeKey> StartProbeAsync(string targetServerName, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(targetServerName);
        var key = SigningKey.Generate("p", ProbeIdLength);
        try
        {
            var probe = await store.StartAsync(targetServerName, key, time.GetUtcNow(), _options.ProbeLifetime, _options.ProbeReuse, _options.MaxActiveProbes, cancellationToken);
            return new ProbeKey(probe, store, reused: probe.Key.KeyId != key.KeyId);
        }
        catch (StoreUnavailableException e)
        {
            throw new ProbeUnavailableException("The result store, which every instance serves probe keys from, is not answering.", e.RetryAfter, e);
        }
    }

    private sealed class ProbeKey(StoredProbe probe, ProbeStore store, bool reused) : IProbeKey
    {
        public bool Reused => reused;

        public string KeyId => probe.Key.KeyId;

        public ReadOnlyMemory<byte> PublicKey => probe.Key.PublicKey;

        public DateTimeOffset StartedAt => probe.StartedAt;

        public byte[] Sign(ReadOnlySpan<byte> message) => probe.Key.Sign(message);

        /// <exception cref="ProbeUnavailableException">The store is not answering.</exception>
        public async Task<IReadOnlyList<InboundKeyRequest>> InboundAsync(CancellationToken cancellationToken)
        {
            try
            {
                return await store.InboundAsync(KeyId, StartedAt, cancellationToken);
            }
            catch (StoreUnavailableException e)
            {
                throw new ProbeUnavailableException("The result store, which holds the inbound log, is not answering.", e.RetryAfter, e);
            }
        }

        public override string ToString() => KeyId;
    }
}
