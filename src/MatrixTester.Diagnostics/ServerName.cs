using System.Diagnostics.CodeAnalysis;
using System.Net;

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
public sealed partial record ServerName
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

}

/// <summary>A server name travels in JSON as its text and is parsed again on the way in.</summary>
public sealed class ServerNameJsonConverter : System.Text.Json.Serialization.JsonConverter<ServerName>
{
    public override ServerName Read(ref System.Text.Json.Utf8JsonReader reader, Type typeToConvert, System.Text.Json.JsonSerializerOptions options) =>
        ServerName.TryParse(reader.GetString(), out var name, out var error) ? name : throw new System.Text.Json.JsonException(error.Message);

    public override void Write(System.Text.Json.Utf8JsonWriter writer, ServerName value, System.Text.Json.JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Text);
}
