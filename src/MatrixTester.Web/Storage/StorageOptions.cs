using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace MatrixTester.Web.Storage;

[JsonConverter(typeof(JsonStringEnumConverter<StorageProvider>))]
public enum StorageProvider
{
    /// <summary>One file on local disk: the embedded default for a single instance.</summary>
    Sqlite,

    /// <summary>A shared PostgreSQL database: what several instances behind a load balancer need.</summary>
    Postgres,
}

/// <summary>Configuration section <c>Storage</c>.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Where results live: <c>Sqlite</c> (default) or <c>Postgres</c>.</summary>
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>Npgsql connection string; required when <see cref="Provider"/> is Postgres, ignored otherwise.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Directory of the SQLite file (results.db); created on first run. Relative paths start at the working directory.</summary>
    [Required(AllowEmptyStrings = false)]
    public string DataDirectory { get; set; } = "./data";

    /// <summary>How many results a server name's page lists.</summary>
    [Range(1, 500)]
    public int RecentLimit { get; set; } = 20;

    /// <summary>Results older than this many days are hidden at once and deleted by the cleanup; 0 keeps them forever.</summary>
    [Range(0, 36500)]
    public int RetentionDays { get; set; } = 90;

    /// <summary>How often the background cleanup deletes expired results.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long opening a connection to the store may take (PostgreSQL's <c>Timeout</c>, unless the connection string
    /// sets one). Short: a dead database should cost one fast failure, not a long wait per request.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How long one store command may take (PostgreSQL's <c>Command Timeout</c> unless set; SQLite's busy wait).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// After a few store failures in a row the site stops calling the store for this long (the circuit is open: saves
    /// are skipped, reads answer 503), then tries again with one call.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The oldest creation time still served at <paramref name="now"/>, or null when results never expire.</summary>
    public DateTimeOffset? Cutoff(DateTimeOffset now) => RetentionDays == 0 ? null : now.AddDays(-RetentionDays);
}
