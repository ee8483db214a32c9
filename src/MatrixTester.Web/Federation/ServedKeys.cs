using MatrixTester.Web.Storage;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.Federation;

/// <summary>
/// What the key endpoint serves right now: the signed key response and the probes it lists (to attribute the fetch).
/// The active probes are read from the store on every request, since a probe started on another instance a moment
/// ago must be served at once (the peer fetches within milliseconds); that read is one indexed query over at most
/// <see cref="FederationOptions.MaxActiveProbes"/> rows. Signing is what is cached: the body is rebuilt only when the
/// key set changes or it is <see cref="Refresh"/> old. While the store is down only the long-term key is served.
/// </summary>
public sealed class ServedKeys(IOptions<FederationOptions> options, LongTermKey longTerm, ProbeStore store, TimeProvider time)
{
    public static readonly TimeSpan Refresh = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Spec: peers should not use a response that expires in less than an hour, and cache it until then; more than an
    /// hour even when served from the cache at its oldest.
    /// </summary>
    public static readonly TimeSpan Validity = TimeSpan.FromMinutes(65);

    private sealed record Cached(string KeyIds, DateTimeOffset BuiltAt, byte[] Body);

    private Cached? _cached;

    public async Task<(byte[] Body, IReadOnlyList<StoredProbe> Probes)> GetAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        IReadOnlyList<StoredProbe> probes;
        try
        {
            probes = await store.ActiveAsync(now, settings.MaxActiveProbes, cancellationToken);
        }
        catch (StoreUnavailableException)
        {
            probes = [];
        }
        var keyIds = string.Join(',', probes.Select(p => p.Key.KeyId));
        var cached = Volatile.Read(ref _cached);
        if (cached is null || cached.KeyIds != keyIds || now - cached.BuiltAt >= Refresh)
        {
            // Newest probe first, long-term key last: the order of the signatures in the body (see KeyResponse).
            SigningKey[] keys = [.. probes.OrderByDescending(p => p.StartedAt).Select(p => p.Key), longTerm.Key];
            cached = new Cached(keyIds, now, KeyResponse.Build(settings.ServerName!, keys, now + Validity));
            Volatile.Write(ref _cached, cached);
        }
        return (cached.Body, probes);
    }
}
