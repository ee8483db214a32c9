using System.Buffers;
using System.Globalization;
using System.Text;

namespace MatrixTester.Diagnostics.Federation;

/// <summary>
/// One HTTP/1.1 request as the engine sends it over an <see cref="EndpointConnection"/>: method, target (path and
/// query), extra header fields (e.g. <c>Authorization: X-Matrix …</c>), an optional body, and the most body bytes its
/// response may bring back. Host, User-Agent and Accept are added by the connection. Names and values are checked
/// here, so nothing a remote server sent (a redirect target, a server name) can smuggle a header line in.
/// </summary>
public sealed record OutboundRequest
{
    private static readonly SearchValues<char> Token = SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    public OutboundRequest(string method, string pathAndQuery, int maxBodyBytes)
    {
        if (string.IsNullOrEmpty(method) || method.AsSpan().ContainsAnyExcept(Token))
        {
            throw new ArgumentException($"Invalid HTTP method: {method}", nameof(method));
        }
        if (!pathAndQuery.StartsWith('/') || pathAndQuery.Any(c => c <= ' ' || c >= '\x7f'))
        {
            throw new ArgumentException($"Invalid request target: {pathAndQuery}", nameof(pathAndQuery));
        }
        ArgumentOutOfRangeException.ThrowIfNegative(maxBodyBytes);
        (Method, PathAndQuery, MaxBodyBytes) = (method, pathAndQuery, maxBodyBytes);
    }

    public string Method { get; }

    public string PathAndQuery { get; }

    /// <summary>The response body is cut here and the exchange reported as <see cref="ExchangeFailure.BodyTooLarge"/>.</summary>
    public int MaxBodyBytes { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; private init; } = [];

    public byte[]? Body { get; private init; }

    /// <summary>GET and HEAD may be sent again on a new connection when the server closed before answering (RFC 9110 section 9.2.2).</summary>
    public bool Idempotent => Method is "GET" or "HEAD";

    public static OutboundRequest Get(string pathAndQuery, int maxBodyBytes) => new("GET", pathAndQuery, maxBodyBytes);

    /// <summary>A POST with a JSON body (e.g. <c>/_matrix/key/v2/query</c>).</summary>
    public static OutboundRequest PostJson(string pathAndQuery, byte[] json, int maxBodyBytes) =>
        new OutboundRequest("POST", pathAndQuery, maxBodyBytes) { Body = json }.WithHeader("Content-Type", "application/json");

    public OutboundRequest WithHeader(string name, string value)
    {
        if (string.IsNullOrEmpty(name) || name.AsSpan().ContainsAnyExcept(Token))
        {
            throw new ArgumentException($"Invalid header name: {name}", nameof(name));
        }
        if (value.Any(c => c is '\r' or '\n' or '\0' || c >= '\x7f'))
        {
            throw new ArgumentException($"Invalid value for header {name}.", nameof(value));
        }
        return this with { Headers = [.. Headers, new(name, value)] };
    }

    /// <summary>The request on the wire: request line, Host, the engine's User-Agent and Accept, extra fields, body.</summary>
    internal void WriteTo(MemoryStream output, string hostHeader, string userAgent)
    {
        var head = new StringBuilder();
        head.Append(CultureInfo.InvariantCulture, $"{Method} {PathAndQuery} HTTP/1.1\r\nHost: {hostHeader}\r\nUser-Agent: {userAgent}\r\nAccept: application/json\r\n");
        foreach (var (name, value) in Headers)
        {
            head.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        }
        if (Body is not null)
        {
            head.Append(CultureInfo.InvariantCulture, $"Content-Length: {Body.Length}\r\n");
        }
        head.Append("\r\n");
        output.Write(Encoding.ASCII.GetBytes(head.ToString()));
        if (Body is not null)
        {
            output.Write(Body);
        }
    }
}
