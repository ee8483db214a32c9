namespace MatrixTester.Diagnostics.Client;

/// <summary>
/// Whether an SFU URL (a transport's <c>url</c>, or the <c>url</c> an authorization service hands out) can work for
/// clients on the internet: <c>wss://</c> (browsers refuse ws:// from an https page) on a name other than localhost.
/// Whether the name resolves to a public address is asked of DNS separately.
/// </summary>
public static class SfuUrl
{
    /// <summary>Why <paramref name="url"/> cannot be a public SFU address, or null when its form is fine.</summary>
    public static string? FormProblem(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("wss" or "ws" or "https" or "http"))
        {
            return $"{url} is not a WebSocket URL.";
        }
        if (IsLocalName(uri.IdnHost))
        {
            return $"{url} names {uri.Host}, which is the user's own device for every client.";
        }
        if (uri.Scheme != "wss")
        {
            return $"{url} is not wss://: browsers refuse unencrypted WebSockets from an https page, and media signalling would travel in the clear.";
        }
        return null;
    }

    private static bool IsLocalName(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase) ||
        host is "127.0.0.1" or "[::1]" or "::1" or "0.0.0.0";
}
