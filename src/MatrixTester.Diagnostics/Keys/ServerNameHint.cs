namespace MatrixTester.Diagnostics.Keys;

/// <summary>Explains the common causes of a server_name mismatch in one sentence, or returns "".</summary>
internal static class ServerNameHint
{
    public static string For(string reported, string expected)
    {
        if (string.Equals(reported, expected, StringComparison.OrdinalIgnoreCase))
        {
            return " The names differ only in letter case; server names are case-sensitive, so use exactly the same spelling.";
        }

        var reportedHost = Host(reported);
        var expectedHost = Host(expected);
        if (string.Equals(reportedHost, expectedHost, StringComparison.OrdinalIgnoreCase))
        {
            return " The names differ only in the port; the port is part of the server name, so the homeserver's server_name must match what was checked.";
        }

        if (reportedHost.EndsWith("." + expectedHost, StringComparison.OrdinalIgnoreCase))
        {
            return $" \"{reported}\" looks like the host your server is delegated to: the homeserver's server_name should probably be \"{expected}\".";
        }

        if (expectedHost.EndsWith("." + reportedHost, StringComparison.OrdinalIgnoreCase))
        {
            return $" You may have entered the delegated host instead of your server name: try checking \"{reported}\".";
        }

        return "";
    }

    private static string Host(string serverName)
    {
        if (serverName.StartsWith('['))
        {
            var close = serverName.IndexOf(']', StringComparison.Ordinal);
            return close > 0 ? serverName[..(close + 1)] : serverName;
        }

        var colon = serverName.LastIndexOf(':');
        return colon > 0 ? serverName[..colon] : serverName;
    }
}
