using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace MatrixTester.Diagnostics;

public enum ServerNameKind
{
    DnsName,
    IPv4,
    IPv6,
}

public enum ServerNameErrorKind
{
    Empty,
    MatrixIdGiven,
    SchemeGiven,
    PathGiven,
    BadPort,
    EmptyLabel,
    IllegalCharacter,
    UnbracketedIPv6,
    BadIPv6,
    BadIPv4,
    NumericTopLabel,
    LabelTooLong,
    TooLong,
}

/// <summary>Why a string is not a server name, in words a user can act on, with a corrected value when one is obvious.</summary>
public sealed record ServerNameError(ServerNameErrorKind Kind, string Message, string? Suggestion = null);

public enum ServerNameWarningKind
{
    UpperCase,
    LongerThan230,
    IpLiteral,
    HyphenAtLabelEdge,
    PortLeadingZero,
}

public sealed record ServerNameWarning(ServerNameWarningKind Kind, string Message);

/// <summary>
/// A Matrix server name (spec appendices, "Server Name"): <c>hostname [ ":" port ]</c>, where hostname is a DNS
/// name, a dotted IPv4 address or a bracketed IPv6 address. Server names are case-sensitive, so the original
/// spelling is kept; DNS lookups and certificate matching are not, and lower-case the host themselves.
/// </summary>
[System.Text.Json.Serialization.JsonConverter(typeof(ServerNameJsonConverter))]
public sealed record ServerName
{
    private ServerName(string text, string host, int? port, ServerNameKind kind, IPAddress? address, IReadOnlyList<ServerNameWarning> warnings)
    {
        Text = text;
        Host = host;
        Port = port;
        Kind = kind;
        Address = address;
        Warnings = warnings;
    }

    /// <summary>The server name exactly as given (surrounding white space removed).</summary>
    public string Text { get; }

    /// <summary>The hostname part: a DNS name, dotted IPv4, or IPv6 text without brackets.</summary>
    public string Host { get; }

    public int? Port { get; }

    public ServerNameKind Kind { get; }

    /// <summary>The address for IP literals, otherwise null.</summary>
    public IPAddress? Address { get; }

    public IReadOnlyList<ServerNameWarning> Warnings { get; }

    public bool IsIpLiteral => Kind != ServerNameKind.DnsName;

    /// <summary>The host as it appears in a URL or Host header: IPv6 in brackets.</summary>
    public string HostForUri => Kind == ServerNameKind.IPv6 ? $"[{Host}]" : Host;

    /// <summary>Host header value for this name: the host, plus the port if the name had one (spec steps 1 and 2).</summary>
    public string HostHeader => Port is { } p ? $"{HostForUri}:{p}" : HostForUri;

    public override string ToString() => Text;

    public static ServerName Parse(string text) =>
        TryParse(text, out var name, out var error) ? name : throw new FormatException(error.Message);

    public static bool TryParse(string? input, [NotNullWhen(true)] out ServerName? name, [NotNullWhen(false)] out ServerNameError? error)
    {
        name = null;
        error = Validate(input?.Trim() ?? "", out var host, out var port, out var kind, out var address, out var warnings);
        if (error is not null)
        {
            return false;
        }
        name = new ServerName(input!.Trim(), host, port, kind, address, warnings);
        return true;
    }

    private static ServerNameError? Validate(string text, out string host, out int? port, out ServerNameKind kind, out IPAddress? address, out List<ServerNameWarning> warnings)
    {
        host = "";
        port = null;
        kind = ServerNameKind.DnsName;
        address = null;
        warnings = [];

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
        if (text.Length > 255 + 8)
        {
            return new(ServerNameErrorKind.TooLong, $"The server name is {text.Length} characters long; host names can be at most 255.");
        }

        string hostText;
        string? portText = null;
        if (text[0] == '[')
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return new(ServerNameErrorKind.BadIPv6, "The IPv6 address has an opening '[' but no closing ']'.");
            }
            hostText = text[1..close];
            var after = text[(close + 1)..];
            if (after.Length > 0)
            {
                if (after[0] != ':')
                {
                    return new(ServerNameErrorKind.IllegalCharacter, $"Only ':' and a port may follow the closing ']', not '{after}'.");
                }
                portText = after[1..];
            }
            var v6Error = ValidateIPv6(hostText, out address);
            if (v6Error is not null)
            {
                return v6Error;
            }
            host = hostText;
            kind = ServerNameKind.IPv6;
        }
        else
        {
            var colons = text.Count(c => c == ':');
            if (colons > 1)
            {
                var bare = IPAddress.TryParse(text, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6;
                return new(ServerNameErrorKind.UnbracketedIPv6,
                    bare
                        ? $"IPv6 addresses must be written in square brackets in a server name: [{text}]."
                        : $"'{text}' has more than one ':'. Only one port can follow the host; IPv6 addresses go in square brackets.",
                    bare ? $"[{text}]" : null);
            }
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            hostText = colon >= 0 ? text[..colon] : text;
            portText = colon >= 0 ? text[(colon + 1)..] : null;
            var hostError = ValidateHost(hostText, out kind, out address, warnings);
            if (hostError is not null)
            {
                return hostError;
            }
            host = hostText;
        }

        if (portText is not null)
        {
            var portError = ValidatePort(portText, out var p, warnings);
            if (portError is not null)
            {
                return portError;
            }
            port = p;
        }

        if (kind != ServerNameKind.DnsName)
        {
            warnings.Add(new(ServerNameWarningKind.IpLiteral,
                "IP address server names are strongly discouraged: many rooms use server ACLs that deny IP literals, and the certificate must name the IP address."));
        }
        if (text.Length > 230)
        {
            warnings.Add(new(ServerNameWarningKind.LongerThan230,
                $"The server name is {text.Length} characters; the spec recommends at most 230 so that user and room IDs built from it stay within limits."));
        }
        return null;
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
        if (hostText.Length > 255)
        {
            return new(ServerNameErrorKind.TooLong, $"The host name is {hostText.Length} characters long; DNS allows at most 255.");
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
            if (label.Length > 63)
            {
                return new(ServerNameErrorKind.LabelTooLong, $"The label '{label[..20]}…' is {label.Length} characters long; DNS labels can be at most 63.");
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
            return new(ServerNameErrorKind.BadPort, $"The port '{portText}' must be a number from 1 to 65535.");
        }
        if (portText.Length > 5 || (port = int.Parse(portText, CultureInfo.InvariantCulture)) is < 1 or > 65535)
        {
            return new(ServerNameErrorKind.BadPort, $"The port {portText} is out of range; ports go from 1 to 65535.");
        }
        if (portText.Length > 1 && portText[0] == '0')
        {
            warnings.Add(new(ServerNameWarningKind.PortLeadingZero, $"The port '{portText}' has a leading zero; write it as {port}."));
        }
        return null;
    }
}

/// <summary>A server name travels in JSON as its text and is parsed again on the way in.</summary>
public sealed class ServerNameJsonConverter : System.Text.Json.Serialization.JsonConverter<ServerName>
{
    public override ServerName Read(ref System.Text.Json.Utf8JsonReader reader, Type typeToConvert, System.Text.Json.JsonSerializerOptions options) =>
        ServerName.TryParse(reader.GetString(), out var name, out var error) ? name : throw new System.Text.Json.JsonException(error.Message);

    public override void Write(System.Text.Json.Utf8JsonWriter writer, ServerName value, System.Text.Json.JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Text);
}
