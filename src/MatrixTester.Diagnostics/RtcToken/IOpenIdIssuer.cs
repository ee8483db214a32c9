namespace MatrixTester.Diagnostics.RtcToken;

/// <summary>
/// The tester as the homeserver of a probe user, for the MatrixRTC token check. The site provides it when
/// <c>Federation:ServerName</c> is set: it mints short-lived OpenID tokens (client-server API, "OpenID") for a probe
/// user of its own and answers <c>GET /_matrix/federation/v1/openid/userinfo</c> for exactly those tokens, recording
/// each call. The CLI and an unconfigured site have none, and the check reports "not configured".
/// </summary>
public interface IOpenIdIssuer
{
    /// <summary>Our server name: the <c>matrix_server_name</c> of every token, the domain of every probe user.</summary>
    string ServerName { get; }

    /// <summary>
    /// Starts a token check of <paramref name="targetServerName"/>: one fresh probe user and token per authorization
    /// service (<paramref name="services"/>), valid for a few minutes, answered by our userinfo endpoint on every
    /// instance. At most one check per target per minute.
    /// </summary>
    /// <exception cref="TokenCheckUnavailableException">No check can start now (the message says why and when).</exception>
    Task<IOpenIdProbe> StartAsync(string targetServerName, int services, CancellationToken cancellationToken);
}

/// <summary>The tokens of one token check and the calls our userinfo endpoint answered for them.</summary>
public interface IOpenIdProbe
{
    /// <summary>One grant per authorization service, in the order asked for.</summary>
    IReadOnlyList<OpenIdGrant> Grants { get; }

    DateTimeOffset StartedAt { get; }

    /// <summary>How long the tokens are valid (the <c>expires_in</c> the service is told).</summary>
    TimeSpan Lifetime { get; }

    /// <summary>Calls of our userinfo endpoint with one of <see cref="Grants"/>' tokens, on any instance; oldest first, bounded.</summary>
    Task<IReadOnlyList<OpenIdCallback>> CallbacksAsync(CancellationToken cancellationToken);

    /// <summary>The check is over: the tokens stop working now. Never fails the check: unrecorded, they expire with their lifetime.</summary>
    Task ReleaseAsync(CancellationToken cancellationToken);
}

/// <summary>
/// A probe user and its OpenID access token. The token is a secret between us and the one authorization service it
/// is sent to: whoever presents it to our userinfo endpoint got it from that service, so a call with it is that
/// service's. It never enters a report, an event or a log line (<see cref="ToString"/> leaves it out).
/// </summary>
public sealed class OpenIdGrant(string userId, string accessToken)
{
    /// <summary>"@matrixtester-…:&lt;our server name&gt;".</summary>
    public string UserId { get; } = userId;

    public string AccessToken { get; } = accessToken;

    public override string ToString() => UserId;
}

/// <summary>One call of our userinfo endpoint with a grant's token (every field bounded by the site).</summary>
/// <param name="Grant">The index of the grant in <see cref="IOpenIdProbe.Grants"/>.</param>
/// <param name="AddressFamily">"IPv4" or "IPv6".</param>
/// <param name="AtMs">Milliseconds from the check's start to the call.</param>
public sealed record OpenIdCallback(int Grant, string RemoteAddress, string AddressFamily, string? UserAgent, long AtMs);

/// <summary>
/// <see cref="IOpenIdIssuer.StartAsync"/> could not start: the store is not answering, the target was checked less
/// than a minute ago, or too many checks run. The message completes "Skipped: …" in plain words, without a final period.
/// </summary>
public sealed class TokenCheckUnavailableException(string message, Exception? innerException = null) : Exception(message, innerException);
