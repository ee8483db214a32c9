using System.Collections.Concurrent;

namespace MatrixTester.Web.History;

/// <summary>Two stored results compared: which is older, and what changed from it to the newer one.</summary>
public sealed record Comparison(ComparedResult Older, ComparedResult Newer, IReadOnlyList<ReportChange> Changes, bool DifferentNames);

/// <summary>
/// Comparisons of two stored results, which never change: computed once, then served from memory for
/// <see cref="Lifetime"/>, for at most <see cref="MaxEntries"/> pairs, without reading the store again. A burst of
/// the same comparison (a link shared in a room, a crawler) reads and parses the two reports once.
/// </summary>
public sealed class ComparisonCache(TimeProvider time)
{
    public const int MaxEntries = 1024;
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<(string Id, string Vs, string Language), (DateTimeOffset Expires, Comparison Comparison)> _entries = new();

    /// <summary>
    /// The cached comparison of the result <paramref name="id"/> with <paramref name="vs"/>, or
    /// <paramref name="compare"/>'s (kept unless null: a missing or unreadable result is not remembered).
    /// </summary>
    public async Task<Comparison?> GetOrCompareAsync(string id, string vs, Func<Task<Comparison?>> compare)
    {
        ArgumentNullException.ThrowIfNull(compare);
        var now = time.GetUtcNow();
        // The comparison is in words, so each language has its own.
        var key = (id, vs, System.Globalization.CultureInfo.CurrentUICulture.Name);
        if (_entries.TryGetValue(key, out var entry) && entry.Expires > now)
        {
            return entry.Comparison;
        }
        var comparison = await compare();
        if (comparison is not null)
        {
            MakeRoom(now);
            _entries[key] = (now + Lifetime, comparison);
        }
        return comparison;
    }

    /// <summary>Drops expired pairs; when the cache is still full, the ones that expire soonest.</summary>
    private void MakeRoom(DateTimeOffset now)
    {
        if (_entries.Count < MaxEntries)
        {
            return;
        }
        foreach (var expired in _entries.Where(e => e.Value.Expires <= now).Select(e => e.Key).ToList())
        {
            _entries.TryRemove(expired, out _);
        }
        foreach (var oldest in _entries.OrderBy(e => e.Value.Expires).Take(Math.Max(0, _entries.Count - (MaxEntries * 3 / 4))).Select(e => e.Key).ToList())
        {
            _entries.TryRemove(oldest, out _);
        }
    }
}
