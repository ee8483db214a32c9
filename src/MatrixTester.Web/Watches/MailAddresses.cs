using MatrixTester.Diagnostics;
using MimeKit;

namespace MatrixTester.Web.Watches;

/// <summary>
/// Which email addresses a watch accepts, and the mailbox an address delivers to. Only a plain address at a domain
/// name on the public DNS: no address literal (<c>a@[127.0.0.1]</c>) and no single-label domain (<c>a@localhost</c>),
/// which would make the relay deliver somewhere of the sender's choosing rather than to somebody's mailbox.
/// </summary>
public static class MailAddresses
{
    public const int MaxLength = 254;

    /// <summary>Why <paramref name="email"/> (already trimmed and lower-cased) is refused, or null.</summary>
    public static string? Problem(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        if (email.Length > MaxLength || VisibleText.NeedsEscaping(email) || email.Count(c => c == '@') != 1
            || !MailboxAddress.TryParse(email, out var parsed) || parsed.GetAddress(idnEncode: true) != email)
        {
            return "email is not a valid address (name@example.org).";
        }
        var (local, domain) = Split(email);
        if (local.Length == 0 || domain.StartsWith('[') || System.Net.IPAddress.TryParse(domain, out _))
        {
            return "email must be an address at a domain name (name@example.org), not at an IP address.";
        }
        if (!domain.Contains('.', StringComparison.Ordinal) || !ServerName.TryParse(domain, out var name, out _) || name.Kind != ServerNameKind.DnsName || name.Port is not null
            || name.Warnings.Any(w => w.Kind == ServerNameWarningKind.HyphenAtLabelEdge))
        {
            return $"email must be at a full domain name such as example.org; \"{domain}\" is not one (write international names in punycode, xn--…).";
        }
        return null;
    }

    /// <summary>
    /// The mailbox an address reaches, for the per-address cap: lower case, and without a <c>+tag</c> (most providers
    /// deliver <c>name+anything@</c> to <c>name@</c>, so each tag is not another person).
    /// </summary>
    public static string Mailbox(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        var (local, domain) = Split(email.ToLowerInvariant());
        var plus = local.IndexOf('+', StringComparison.Ordinal);
        return (plus > 0 ? local[..plus] : local) + "@" + domain;
    }

    private static (string Local, string Domain) Split(string email)
    {
        var at = email.LastIndexOf('@');
        return at < 0 ? (email, "") : (email[..at], email[(at + 1)..]);
    }
}
