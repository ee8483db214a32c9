namespace MatrixTester.Diagnostics.RtcToken;

/// <summary>
/// The authorization services a server publishes, as the token check's input: the <c>livekit_service_url</c> of
/// each <c>livekit</c> or <c>livekit_multi_sfu</c> transport (both name lk-jwt-service), at most <see cref="Max"/>,
/// each once, in the order given (the calls check puts the transports endpoint's first).
/// </summary>
public static class PublishedServices
{
    /// <summary>A server publishes one, rarely two; a long list costs the target's services nothing but us time.</summary>
    public const int Max = 3;

    public static IReadOnlyList<Uri> FromTransports(IEnumerable<(string? Type, string? ServiceUrl)> transports)
    {
        ArgumentNullException.ThrowIfNull(transports);
        return transports
            .Where(t => t.Type is "livekit" or "livekit_multi_sfu" && t.ServiceUrl is not null)
            .Select(t => Uri.TryCreate(t.ServiceUrl, UriKind.Absolute, out var uri) ? uri : null)
            .OfType<Uri>()
            .DistinctBy(u => u.AbsoluteUri.TrimEnd('/'), StringComparer.Ordinal)
            .Take(Max)
            .ToArray();
    }
}
