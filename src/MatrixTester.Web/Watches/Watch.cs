using System.Security.Cryptography;
using System.Text;

namespace MatrixTester.Web.Watches;

/// <summary>
/// One subscription: a server name and one place to tell (an email address or a webhook URL). Email watches start
/// unconfirmed (<see cref="ConfirmedAt"/> null) and are only checked and alerted once their owner followed the link.
/// <see cref="Language"/> is the one the subscriber read the site in: every mail of the watch is written in it.
/// </summary>
public sealed record Watch(
    string Id,
    string ServerName,
    string? Email,
    string? WebhookUrl,
    string? WebhookSecret,
    string? ConfirmTokenHash,
    string UnsubscribeToken,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ConfirmedAt,
    string Language = MatrixTester.Diagnostics.Languages.English)
{
    public bool IsActive => ConfirmedAt is not null;

    public string Kind => Email is not null ? "email" : "webhook";
}

/// <summary>What the last scheduled check of a server name saw, so the next one alerts only on change.</summary>
public sealed record MonitorState(string ServerName, string? LastResultId, IReadOnlyList<string> AlertedExpiryBuckets);

/// <summary>Unguessable tokens (256 bits from the CSPRNG, base64url) and the hashes kept of the one-time ones.</summary>
public static class WatchTokens
{
    public static string New() => Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>Confirmation tokens are stored hashed: a copy of the database does not confirm anybody's address.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public static bool LooksLikeToken(string? token) =>
        token is { Length: 43 } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
