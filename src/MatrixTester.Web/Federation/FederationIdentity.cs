using System.Globalization;
using System.Net;
using MatrixTester.Diagnostics.TwoWay;
using MatrixTester.Web.Abuse;
using MatrixTester.Web.Diagnoses;
using MatrixTester.Web.Storage;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.Federation;

/// <summary>
/// The site's Matrix identity for the engine's two-way check. Registered only when <c>Federation:ServerName</c> is
/// set. Probes live in the result store, so whichever instance a peer's key fetch lands on serves the probe key and
/// records the fetch, and the instance that started the probe reads it back. A probe belongs to the client that
/// asked for the diagnosis (<see cref="ProbeOwner"/>), for the per-client share.
/// </summary>
public sealed class FederationIdentity(IOptions<FederationOptions> options, ProbeStore store, KeyFetchLog fetches, FetchTally tally, TimeProvider time) : IFederationIdentity
{
    /// <summary>"ed25519:p" and this many random letters and digits: 62^12, never guessed or cached by chance.</summary>
    public const int ProbeIdLength = 12;

    private readonly FederationOptions _options = options.Value;
    private readonly ProbeStore _store = store;
    private readonly KeyFetchLog _fetches = fetches;
    private readonly FetchTally _tally = tally;
    private readonly TimeProvider _time = time;

    public string ServerName => _options.ServerName!;

    /// <inheritdoc/>
    /// <exception cref="ProbeUnavailableException">The store is not answering, or the probes (all, or the client's share) are in use.</exception>
    public async Task<IProbeKey> StartProbeAsync(string targetServerName, IReadOnlyCollection<IPAddress> targetAddresses, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(targetServerName);
        ArgumentNullException.ThrowIfNull(targetAddresses);
        var key = SigningKey.Generate("p", ProbeIdLength);
        var sources = targetAddresses.Select(ClientAddress.PartitionKey).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var limits = ProbeLimits.From(_options);
        var now = _time.GetUtcNow();
        ProbeGrant grant;
        try
        {
            grant = await _store.StartAsync(new ProbeStart(targetServerName, key, ProbeOwner.Current, sources), now, limits, cancellationToken);
        }
        catch (StoreUnavailableException e)
        {
            throw new ProbeUnavailableException("the tester could not start its probe: the result store, which every instance serves probe keys from, is not answering", e.RetryAfter, e);
        }
        if (grant.Refusal is { } refusal)
        {
            var wait = refusal.FreesAt - now;
            throw new ProbeUnavailableException(Refused(refusal, wait), wait > TimeSpan.Zero ? wait : TimeSpan.FromSeconds(1));
        }
        var probe = grant.Probe!;
        return new ProbeKey(probe, probe.Key.KeyId != key.KeyId, this);
    }

    /// <summary>Why there is no probe, and when one frees up (an upper bound: probes still in use are released when their check ends).</summary>
    internal static string Refused(ProbeRefusal refusal, TimeSpan wait) => (refusal.PerClient, refusal.Limit) switch
    {
        (true, 1) => $"the address that asked for this test already has a two-way check running, the most one address may have at once; it frees up {Within(wait)}",
        (true, var n) => $"the address that asked for this test already has {n} two-way checks running, the most one address may have at once; one of them frees up {Within(wait)}",
        (false, 1) => $"the only two-way probe of this tester is in use; it frees up {Within(wait)}",
        (false, var n) => $"all {n} two-way probes of this tester are in use; the next one frees up {Within(wait)}",
    };

    /// <summary>"within 40 seconds", "within 3 minutes": plain words, rounded up.</summary>
    internal static string Within(TimeSpan wait)
    {
        var seconds = (int)Math.Ceiling(Math.Max(1, wait.TotalSeconds));
        return seconds switch
        {
            1 => "within a second",
            <= 90 => string.Create(CultureInfo.InvariantCulture, $"within {seconds} seconds"),
            _ => string.Create(CultureInfo.InvariantCulture, $"within {(int)Math.Ceiling(seconds / 60.0)} minutes"),
        };
    }

    private sealed class ProbeKey(StoredProbe probe, bool reused, FederationIdentity owner) : IProbeKey
    {
        private int _released;

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
                return await owner._fetches.InboundAsync(probe, owner._options.MaxInboundPerProbe, cancellationToken);
            }
            catch (StoreUnavailableException e)
            {
                throw new ProbeUnavailableException("the tester could not read its probe's log: the result store is not answering", e.RetryAfter, e);
            }
        }

        /// <summary>Every fetch counted since the probe started, less this probe's own; 0 when the store cannot say.</summary>
        public async Task<int> UnattributedAsync(CancellationToken cancellationToken)
        {
            try
            {
                await owner._tally.FlushAsync(cancellationToken);
                var all = await owner._fetches.CountSinceAsync(probe.StartedAt, cancellationToken);
                var own = (await InboundAsync(cancellationToken)).Count;
                return (int)Math.Clamp(all - own, 0, int.MaxValue);
            }
            catch (Exception e) when (e is StoreUnavailableException or ProbeUnavailableException)
            {
                return 0;
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
                await owner._store.ReleaseAsync(probe, owner._time.GetUtcNow(), ProbeLimits.From(owner._options), cancellationToken);
            }
            catch (StoreUnavailableException)
            {
                // The probe expires at the end of its lifetime instead.
            }
        }

        public override string ToString() => KeyId;
    }
}
