namespace MatrixTester.Web.Storage;

/// <summary>
/// The data directory and the SQLite database in it hold what nobody else on the machine may read: the probes'
/// private keys, webhook secrets, unsubscribe tokens. The directory is created 0700 and the database file 0600
/// before SQLite first opens it; SQLite gives its <c>-wal</c>, <c>-shm</c> and <c>-journal</c> files the mode of the
/// database file, so they are 0600 too. A database left readable by others (created before this rule) is narrowed
/// at start. An existing directory keeps its mode: it may be a volume whose mode the operator chose.
/// </summary>
public static class DataFiles
{
    public const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private static readonly string[] Companions = ["", "-wal", "-shm", "-journal"];

    public static void EnsureDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
            return;
        }
        Directory.CreateDirectory(directory, PrivateDirectory);
    }

    /// <summary>
    /// Creates <paramref name="path"/> as an empty private file when missing, and narrows the mode of the database and
    /// its companions. Best effort: on a directory that cannot be written (full, read-only) SQLite's own open fails
    /// next, and that failure is the store outage the callers already handle.
    /// </summary>
    public static void EnsureDatabase(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        try
        {
            EnsureDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            Create(path);
            foreach (var suffix in Companions)
            {
                var file = path + suffix;
                if (File.Exists(file) && (File.GetUnixFileMode(file) & ~PrivateFile) != 0)
                {
                    File.SetUnixFileMode(file, PrivateFile);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left to SQLite's open, which reports it as the store being unavailable.
        }
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void Create(string path)
    {
        try
        {
            // An empty file is an empty SQLite database; creating it ourselves is how it gets its mode from the start.
            using var created = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = PrivateFile });
        }
        catch (IOException) when (File.Exists(path))
        {
            // Already there (another connection or instance was first): its mode is narrowed by the caller.
        }
    }
}
