using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace MatrixTester.Diagnostics;

/// <summary>Validation of a server name against the spec's grammar (appendices, "Server Name"), part by part.</summary>
public sealed partial record ServerName
{
    /// <summary>DNS's limit on a whole name (RFC 1035, section 2.3.4).</summary>
    private const int MaxHostLength = 255;

    /// <summary>What may surround the host in a server name: IPv6 brackets and ":65535".</summary>
    private const int MaxBracketsAndPortLength = 8;

    /// <summary>DNS's limit on one label (RFC 1035, section 2.3.4).</summary>
    private const int MaxLabelLength = 63;

    /// <summary>The spec's recommended maximum, so that user and room IDs built from the name stay within 255 bytes.</summary>
    private const int RecommendedMaxLength = 230;

    private const int MaxPort = 65535;

    private const int MaxPortDigits = 5;

    /// <summary>How much of an over-long label an error message quotes.</summary>
    private const int LabelQuoteLength = 20;

    /// <summary>The spec's grammar, <c>hostname [ ":" port ]</c>: first what is not a server name at all, then the host (an IPv6 literal in brackets, or a DNS name or IPv4 literal), then the port.</summary>
    private static ServerNameError? Validate(string text, out string host, out int? port, out ServerNameKind kind, out IPAddress? address, out List<ServerNameWarning> warnings)
    {
        port = null;
        warnings = [];
        if (NotAServerName(text) is { } notAServerName)
        {
            (host, kind, address) = ("", ServerNameKind.DnsName, null);
            return notAServerName;
        }
        var hostError = text[0] == '['
            ? SplitIPv6Literal(text, out host, out var portText, out kind, out address)
            : SplitHost(text, out host, out portText, out kind, out address, warnings);
        if (hostError is not null)
        {
            return hostError;
        }
        if (portText is not null)
        {
            if (ValidatePort(portText, out var p, warnings) is { } portError)
            {
                return portError;
            }
            port = p;
        }
        AddNameWarnings(text, kind, warnings);
        return null;
    }

    /// <summary>Input that is something else: empty, a Matrix ID, a URL with a scheme or a path, or far too long.</summary>
    private static ServerNameError? NotAServerName(string text)
    {
        if (text.Length == 0)
        {
            return new(ServerNameErrorKind.Empty, "Enter a server name: the part after the colon in a Matrix ID, e.g. example.org for @alice:example.org.");
        }
        if (text[0] == '@' || text[0] == '!' || text[0] == '#')
        {
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            var rest = colon >= 0 ? text[(colon + 1)..] : null;
            return new(ServerNameErrorKind.MatrixIdGiven,
                $"'{text}' looks like a Matrix ID, not a server name. The server name is the part after the first colon{(rest is { Length: > 0 } ? $": {rest}" : "")}.",
                rest is { Length: > 0 } ? rest : null);
        }
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            var afterScheme = text[(scheme + 3)..];
            var slash = afterScheme.IndexOf('/', StringComparison.Ordinal);
            var suggestion = slash >= 0 ? afterScheme[..slash] : afterScheme;
            return new(ServerNameErrorKind.SchemeGiven,
                $"A server name has no scheme: leave out '{text[..(scheme + 3)]}'. Enter just the name{(suggestion.Length > 0 ? $", e.g. {suggestion}" : "")}.",
                suggestion.Length > 0 ? suggestion : null);
        }
        var pathStart = text.IndexOfAny(['/', '?', '#']);
        if (pathStart >= 0)
        {
            var suggestion = text[..pathStart];
            return new(ServerNameErrorKind.PathGiven,
                $"A server name has no path or query: remove '{text[pathStart..]}'.",
                suggestion.Length > 0 ? suggestion : null);
        }
        if (text.Length > MaxHostLength + MaxBracketsAndPortLength)
        {
            return new(ServerNameErrorKind.TooLong, $"The server name is {text.Length} characters long; host names can be at most {MaxHostLength}.");
        }
        return null;
    }

    /// <summary><c>"[" IPv6address "]" [ ":" port ]</c>.</summary>
    private static ServerNameError? SplitIPv6Literal(string text, out string host, out string? portText, out ServerNameKind kind, out IPAddress? address)
    {
        (host, portText, kind, address) = ("", null, ServerNameKind.IPv6, null);
        var close = text.IndexOf(']', StringComparison.Ordinal);
        if (close < 0)
        {
            return new(ServerNameErrorKind.BadIPv6, "The IPv6 address has an opening '[' but no closing ']'.");
        }
        var after = text[(close + 1)..];
        if (after.Length > 0)
        {
            if (after[0] != ':')
            {
                return new(ServerNameErrorKind.IllegalCharacter, $"Only ':' and a port may follow the closing ']', not '{after}'.");
            }
            portText = after[1..];
        }
        host = text[1..close];
        return ValidateIPv6(host, out address);
    }

    /// <summary><c>(dns-name | IPv4address) [ ":" port ]</c>; more than one ':' is an IPv6 address without its brackets.</summary>
    private static ServerNameError? SplitHost(string text, out string host, out string? portText, out ServerNameKind kind, out IPAddress? address,
        List<ServerNameWarning> warnings)
    {
        (host, portText, kind, address) = ("", null, ServerNameKind.DnsName, null);
        if (text.Count(c => c == ':') > 1)
        {
            var bare = IPAddress.TryParse(text, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6;
            return new(ServerNameErrorKind.UnbracketedIPv6,
                bare
                    ? $"IPv6 addresses must be written in square brackets in a server name: [{text}]."
                    : $"'{text}' has more than one ':'. Only one port can follow the host; IPv6 addresses go in square brackets.",
                bare ? $"[{text}]" : null);
        }
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        host = colon >= 0 ? text[..colon] : text;
        portText = colon >= 0 ? text[(colon + 1)..] : null;
        return ValidateHost(host, out kind, out address, warnings);
    }

    /// <summary>Valid but discouraged: an IP literal, or a name longer than the spec recommends.</summary>
    private static void AddNameWarnings(string text, ServerNameKind kind, List<ServerNameWarning> warnings)
    {
        if (kind != ServerNameKind.DnsName)
        {
            warnings.Add(new(ServerNameWarningKind.IpLiteral,
                "IP address server names are strongly discouraged: many rooms use server ACLs that deny IP literals, and the certificate must name the IP address."));
        }
        if (text.Length > RecommendedMaxLength)
        {
            warnings.Add(new(ServerNameWarningKind.LongerThan230,
                $"The server name is {text.Length} characters; the spec recommends at most {RecommendedMaxLength} so that user and room IDs built from it stay within limits."));
        }
    }

    private static ServerNameError? ValidateIPv6(string inner, out IPAddress? address)
    {
        address = null;
        if (inner.Length == 0)
        {
            return new(ServerNameErrorKind.BadIPv6, "The brackets are empty; put an IPv6 address inside them.");
        }
        var bad = inner.FirstOrDefault(c => !(char.IsAsciiHexDigit(c) || c == ':' || c == '.'));
        if (bad != default)
        {
            return bad == '%'
                ? new(ServerNameErrorKind.BadIPv6, "IPv6 zone IDs (the '%' part) are not allowed in server names.")
                : new(ServerNameErrorKind.IllegalCharacter, $"'{bad}' is not allowed in an IPv6 address.");
        }
        if (!IPAddress.TryParse(inner, out var parsed) || parsed.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return new(ServerNameErrorKind.BadIPv6, $"'{inner}' is not a valid IPv6 address.");
        }
        address = parsed;
        return null;
    }

    private static ServerNameError? ValidateHost(string hostText, out ServerNameKind kind, out IPAddress? address, List<ServerNameWarning> warnings)
    {
        kind = ServerNameKind.DnsName;
        address = null;
        if (hostText.Length == 0)
        {
            return new(ServerNameErrorKind.EmptyLabel, "The host name before the ':' is empty.");
        }
        foreach (var c in hostText)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '-' || c == '.'))
            {
                var what = c switch
                {
                    ' ' or '\t' => "a space",
                    '_' => "'_' (underscores are not allowed in host names)",
                    '@' => "'@'",
                    _ when c > 127 => $"'{c}' (non-ASCII; write internationalised names in punycode, e.g. xn--bcher-kva.example)",
                    _ when char.IsControl(c) => $"the control character U+{(int)c:X4}",
                    _ => $"'{c}'",
                };
                return new(ServerNameErrorKind.IllegalCharacter, $"The host name contains {what}. Only letters, digits, '-' and '.' are allowed.");
            }
        }
        if (hostText.Length > MaxHostLength)
        {
            return new(ServerNameErrorKind.TooLong, $"The host name is {hostText.Length} characters long; DNS allows at most {MaxHostLength}.");
        }
        if (hostText.All(c => char.IsAsciiDigit(c) || c == '.'))
        {
            return ValidateIPv4(hostText, out kind, out address);
        }
        var labels = hostText.Split('.');
        for (var i = 0; i < labels.Length; i++)
        {
            var label = labels[i];
            if (label.Length == 0)
            {
                return new(ServerNameErrorKind.EmptyLabel,
                    i == labels.Length - 1 && labels.Length > 1
                        ? "The host name ends with '.'. Matrix server names are written without the trailing dot."
                        : "The host name has an empty label ('..' or a leading '.').",
                    i == labels.Length - 1 && labels.Length > 1 ? hostText.TrimEnd('.') : null);
            }
            if (label.Length > MaxLabelLength)
            {
                return new(ServerNameErrorKind.LabelTooLong, $"The label '{label[..LabelQuoteLength]}…' is {label.Length} characters long; DNS labels can be at most {MaxLabelLength}.");
            }
            if (label[0] == '-' || label[^1] == '-')
            {
                warnings.Add(new(ServerNameWarningKind.HyphenAtLabelEdge, $"The label '{label}' starts or ends with '-', which host name rules (RFC 1123) do not allow; some resolvers and certificate authorities reject it."));
            }
        }
        if (labels.Length > 1 && labels[^1].All(char.IsAsciiDigit))
        {
            return new(ServerNameErrorKind.NumericTopLabel,
                $"'{hostText}' ends in an all-numeric label, so it is neither a host name nor a dotted IPv4 address (some software would read it as one).");
        }
        if (labels[^1].StartsWith("0x", StringComparison.OrdinalIgnoreCase) && labels.All(l => l.All(char.IsAsciiHexDigit) || l.StartsWith("0x", StringComparison.OrdinalIgnoreCase)))
        {
            return new(ServerNameErrorKind.BadIPv4, $"'{hostText}' looks like a hexadecimal IPv4 spelling; write IPv4 addresses as four decimal numbers, e.g. 192.0.2.1.");
        }
        if (hostText.Any(char.IsAsciiLetterUpper))
        {
            warnings.Add(new(ServerNameWarningKind.UpperCase,
                $"'{hostText}' contains upper-case letters. Server names are case-sensitive in Matrix IDs, so '{hostText.ToLowerInvariant()}' would be a different server; the spec recommends lower case."));
        }
        return null;
    }

    private static ServerNameError? ValidateIPv4(string hostText, out ServerNameKind kind, out IPAddress? address)
    {
        kind = ServerNameKind.IPv4;
        address = null;
        var parts = hostText.Split('.');
        if (parts.Length != 4 || parts.Any(p => p.Length is 0 or > 3))
        {
            return new(ServerNameErrorKind.BadIPv4,
                $"'{hostText}' is made only of digits and dots but is not an IPv4 address. Write IPv4 addresses as four numbers from 0 to 255, e.g. 192.0.2.1.");
        }
        var bytes = new byte[4];
        for (var i = 0; i < 4; i++)
        {
            var value = int.Parse(parts[i], CultureInfo.InvariantCulture);
            if (value > 255)
            {
                return new(ServerNameErrorKind.BadIPv4, $"'{parts[i]}' in '{hostText}' is larger than 255.");
            }
            if (parts[i].Length > 1 && parts[i][0] == '0')
            {
                return new(ServerNameErrorKind.BadIPv4, $"'{parts[i]}' in '{hostText}' has a leading zero, which some software reads as octal. Write it as {value}.");
            }
            bytes[i] = (byte)value;
        }
        address = new IPAddress(bytes);
        return null;
    }

    private static ServerNameError? ValidatePort(string portText, out int port, List<ServerNameWarning> warnings)
    {
        port = 0;
        if (portText.Length == 0)
        {
            return new(ServerNameErrorKind.BadPort, "There is a ':' but no port after it.");
        }
        if (!portText.All(char.IsAsciiDigit))
        {
            return new(ServerNameErrorKind.BadPort, $"The port '{portText}' must be a number from 1 to {MaxPort}.");
        }
        if (portText.Length > MaxPortDigits || (port = int.Parse(portText, CultureInfo.InvariantCulture)) is < 1 or > MaxPort)
        {
            return new(ServerNameErrorKind.BadPort, $"The port {portText} is out of range; ports go from 1 to {MaxPort}.");
        }
        if (portText.Length > 1 && portText[0] == '0')
        {
            warnings.Add(new(ServerNameWarningKind.PortLeadingZero, $"The port '{portText}' has a leading zero; write it as {port}."));
        }
        return null;
    }
}
