namespace MatrixTester.Diagnostics.DnsLookup;

/// <summary>Name rules shared by the writer and the reader (RFC 1035 sections 2.3.4 and 3.1).</summary>
public static class DnsNames
{
    public const int MaxLabelLength = 63;

    /// <summary>Wire length including the length octets and the terminating root label.</summary>
    public const int MaxNameLength = 255;

    /// <summary>Our spelling of the root name. An SRV target of "." means "service not offered" (RFC 2782).</summary>
    public const string Root = ".";

    /// <summary>Lower-case, without the trailing dot; the root stays ".".</summary>
    public static string Normalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name == Root)
        {
            return Root;
        }
        return (name.EndsWith('.') ? name[..^1] : name).ToLowerInvariant();
    }

    /// <summary>Splits and validates a name for a query.</summary>
    /// <exception cref="ArgumentException">Empty label, label over 63 octets, name over 255 octets, or non-ASCII.</exception>
    public static string[] SplitLabels(string name)
    {
        var normalized = Normalize(name);
        if (normalized.Length == 0)
        {
            throw new ArgumentException("A DNS name cannot be empty.", nameof(name));
        }
        if (normalized == Root)
        {
            return [];
        }
        var labels = normalized.Split('.');
        foreach (var label in labels)
        {
            if (label.Length is 0 or > MaxLabelLength)
            {
                throw new ArgumentException($"'{name}' has an empty label or one longer than {MaxLabelLength} characters.", nameof(name));
            }
            if (!label.All(IsAllowed))
            {
                throw new ArgumentException($"'{name}' contains a character that is not allowed in a DNS name (use punycode for IDNs).", nameof(name));
            }
        }
        if (labels.Sum(l => l.Length + 1) + 1 > MaxNameLength)
        {
            throw new ArgumentException($"'{name}' is longer than {MaxNameLength} octets on the wire.", nameof(name));
        }
        return labels;
    }

    /// <summary>
    /// Printable ASCII except the dot and space. The wire allows any octet, but a name we cannot print unambiguously
    /// cannot be reported or queried again, so the reader rejects it as malformed.
    /// </summary>
    public static bool IsAllowed(char c) => c is > ' ' and < (char)0x7F and not '.';
}
