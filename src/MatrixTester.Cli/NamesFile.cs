namespace MatrixTester.Cli;

/// <summary>A file of server names for <c>--file</c>: one per line, blank lines and <c>#</c> comments skipped.</summary>
internal static class NamesFile
{
    public static IReadOnlyList<string> Read(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ArgumentException($"--file {path}: {ex.Message}", ex);
        }
        var names = lines.Select(l => (l.IndexOf('#', StringComparison.Ordinal) is var hash and >= 0 ? l[..hash] : l).Trim())
            .Where(l => l.Length > 0).ToList();
        return names.Count > CliOptions.MaxFileNames
            ? throw new ArgumentException($"--file {path}: {names.Count} names; at most {CliOptions.MaxFileNames} in one file.")
            : names;
    }
}
