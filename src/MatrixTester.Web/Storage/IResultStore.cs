using System.Buffers.Text;
using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;

namespace MatrixTester.Web.Storage;

/// <summary>
/// One finished diagnosis as stored: the v2 report JSON (ReportJson.Options) plus what lists need: <see cref="Verdict"/>
/// is the reading's federation state by name (<c>FederationStates.FromStored</c> reads it back), <see cref="Summary"/>
/// its one-line summary.
/// </summary>
public sealed record StoredResult(string Id, string ServerName, DateTimeOffset CreatedAt, string Verdict, string Summary, string Json)
{
    /// <summary>
    /// Read with a size bound, and the report was longer (stored before reports had a ceiling): <see cref="Json"/>
    /// is empty, so nothing parses it; the other fields are there.
    /// </summary>
    public bool TooLarge { get; init; }

    /// <summary>
    /// What the statistics count of this result (kind, value), saved with it in one transaction, so a result and its
    /// facts are one write (and one call through the store's circuit). Empty when statistics are off; never read back.
    /// </summary>
    public IReadOnlyList<(string Kind, string Value)> Facts { get; init; } = [];
}

/// <summary>A line in a server name's history.</summary>
public sealed record ResultSummary(string Id, string ServerName, DateTimeOffset CreatedAt, string Verdict, string Summary);

/// <summary>
/// Where permalinks live. SQLite by default; the seam exists so a shared database can serve several instances.
/// </summary>
public interface IResultStore
{
    Task SaveAsync(StoredResult result, CancellationToken cancellationToken);

    Task<StoredResult?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Like <see cref="GetAsync(string, CancellationToken)"/> for readers that parse the report (pages, feeds,
    /// comparisons, alerts): its JSON is loaded only when it is at most <paramref name="maxJsonBytes"/> UTF-8 bytes,
    /// measured by the database without reading it; a longer one comes back <see cref="StoredResult.TooLarge"/>.
    /// </summary>
    Task<StoredResult?> GetAsync(string id, int maxJsonBytes, CancellationToken cancellationToken);

    Task<IReadOnlyList<ResultSummary>> RecentAsync(string serverName, int limit, CancellationToken cancellationToken);

    /// <summary>Creates or migrates the schema. Idempotent, and safe when several instances start at once.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>
    /// A tiny real write (one heartbeat row, overwritten each time), so a recovery probe learns whether saving works
    /// again on a disk that was full or read-only, not only whether the store can be read.
    /// </summary>
    Task ProbeWriteAsync(CancellationToken cancellationToken);

    /// <summary>Deletes results created before <paramref name="cutoff"/> (retention); returns how many.</summary>
    Task<int> DeleteCreatedBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);
}

public static class ResultIds
{
    /// <summary>18 random bytes, base64url: 24 characters, 144 bits, not guessable or enumerable.</summary>
    public static string New() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(18));

    /// <summary>Ids are checked before they reach the store, so junk never becomes a query.</summary>
    public static bool IsWellFormed(string? id) =>
        id is { Length: >= 16 and <= 64 } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
