using System.Globalization;
using System.Text;

namespace MatrixTester.Diagnostics.Federation;

/// <summary>One HTTP/1.1 response as read off the wire: status, headers in order, the (capped) body, and whether the connection can carry the next one.</summary>
internal sealed record Http11Response(int Status, string Reason, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body, bool TooLarge, bool Reusable);

/// <summary>The server closed the connection before a complete response (or before any response at all).</summary>
internal sealed class Http11EndedException(string message, bool nothingReceived) : IOException(message)
{
    /// <summary>Not a byte of this response arrived: a pipelined request the server never answered, safe to retry.</summary>
    public bool NothingReceived { get; } = nothingReceived;
}

/// <summary>The bytes received are not an HTTP/1.1 response.</summary>
internal sealed class Http11ProtocolException(string message) : IOException(message);

/// <summary>
/// The engine's one HTTP/1.1 response reader, for every request on every connection: responses are read back in
/// order from one buffered reader, so requests can be pipelined (RFC 9112 section 9.3): the federation GETs, or the
/// three well-known files of one host, leave in one write and cost one round trip. Framing follows RFC 9112
/// section 6: chunked, else Content-Length, else until close; the head is bounded by <see cref="HttpLimits"/>.
/// </summary>
internal sealed class Http11Pipeline(Stream stream, HttpLimits limits)
{
    private byte[] _buffer = new byte[8 * 1024];
    private int _start;
    private int _end;

    /// <param name="bodiless">The request was HEAD: the response has no body whatever its headers say.</param>
    public async Task<Http11Response> ReadResponseAsync(int maxBodyBytes, bool bodiless, CancellationToken cancellationToken)
    {
        var received = _end > _start;
        while (true)
        {
            var head = await ReadHeadAsync(received, cancellationToken);
            received = true;
            var (status, reason, headers) = ParseHead(head, limits.MaxHeaderFields);
            if (status is >= 100 and < 200 && status != 101)
            {
                continue; // interim response (100 Continue, 103 Early Hints): the real one follows
            }
            var reusable = !HasToken(headers, "connection", "close");
            if (bodiless || status is 204 or 304 || status is >= 100 and < 200)
            {
                return new Http11Response(status, reason, headers, [], false, reusable);
            }
            if (HasToken(headers, "transfer-encoding", "chunked"))
            {
                var (body, tooLarge) = await ReadChunkedAsync(maxBodyBytes, cancellationToken);
                return new Http11Response(status, reason, headers, body, tooLarge, reusable && !tooLarge);
            }
            var lengths = headers.Where(h => h.Key.Equals("content-length", StringComparison.OrdinalIgnoreCase)).Select(h => h.Value.Trim()).Distinct().ToList();
            if (lengths.Count > 1 || (lengths.Count == 1 && !long.TryParse(lengths[0], NumberStyles.None, CultureInfo.InvariantCulture, out _)))
            {
                throw new Http11ProtocolException($"Invalid Content-Length: {string.Join(", ", lengths)}.");
            }
            if (lengths.Count == 1)
            {
                var length = long.Parse(lengths[0], NumberStyles.None, CultureInfo.InvariantCulture);
                if (length > maxBodyBytes)
                {
                    return new Http11Response(status, reason, headers, [], true, false);
                }
                return new Http11Response(status, reason, headers, await ReadExactlyAsync((int)length, cancellationToken), false, reusable);
            }
            var (rest, restTooLarge) = await ReadToEndAsync(maxBodyBytes, cancellationToken);
            return new Http11Response(status, reason, headers, rest, restTooLarge, false);
        }
    }

    private async Task<byte[]> ReadHeadAsync(bool received, CancellationToken cancellationToken)
    {
        while (true)
        {
            var end = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                var head = _buffer.AsSpan(_start, end).ToArray();
                _start += end + 4;
                return head;
            }
            if (_end - _start > limits.MaxHeaderBytes)
            {
                throw new Http11ProtocolException($"The response headers are larger than {limits.MaxHeaderBytes / 1024} KiB.");
            }
            if (await FillAsync(cancellationToken) == 0)
            {
                var nothing = !received && _end == _start;
                throw new Http11EndedException(nothing ? "The server closed the connection without sending a response." : "The server closed the connection in the middle of the response headers.", nothing);
            }
        }
    }

    private static (int Status, string Reason, List<KeyValuePair<string, string>> Headers) ParseHead(byte[] head, int maxFields)
    {
        var lines = Encoding.Latin1.GetString(head).Split("\r\n");
        if (lines.Length - 1 > maxFields)
        {
            throw new Http11ProtocolException($"The response has {lines.Length - 1} header fields; the limit is {maxFields}.");
        }
        var statusLine = lines[0];
        if (!statusLine.StartsWith("HTTP/1.", StringComparison.Ordinal) || statusLine.Length < 12 || statusLine[8] != ' '
            || !int.TryParse(statusLine.AsSpan(9, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var status) || status < 100
            || (statusLine.Length > 12 && statusLine[12] != ' '))
        {
            throw new Http11ProtocolException($"Invalid status line: {Findings.ReportText.Cap(statusLine, 80)}");
        }
        var reason = statusLine.Length > 13 ? statusLine[13..] : "";
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || line[0] is ' ' or '\t' || line.AsSpan(0, colon).ContainsAny(" \t"))
            {
                throw new Http11ProtocolException($"Invalid header line: {Findings.ReportText.Cap(line, 80)}");
            }
            headers.Add(new(line[..colon], line[(colon + 1)..].Trim(' ', '\t')));
        }
        return (status, reason, headers);
    }

    private async Task<(byte[] Body, bool TooLarge)> ReadChunkedAsync(int max, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        while (true)
        {
            var sizeLine = await ReadLineAsync(cancellationToken);
            var hex = sizeLine.Split(';')[0].Trim();
            if (!long.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size) || size < 0 || hex.Length == 0)
            {
                throw new Http11ProtocolException($"Invalid chunk size: {(sizeLine.Length > 40 ? sizeLine[..40] : sizeLine)}");
            }
            if (size == 0)
            {
                while ((await ReadLineAsync(cancellationToken)).Length > 0)
                {
                    // trailer fields: ignored
                }
                return (body.ToArray(), false);
            }
            if (body.Length + size > max)
            {
                var room = (int)(max - body.Length);
                body.Write(await ReadExactlyAsync(room, cancellationToken));
                return (body.ToArray(), true);
            }
            body.Write(await ReadExactlyAsync((int)size, cancellationToken));
            if ((await ReadLineAsync(cancellationToken)).Length != 0)
            {
                throw new Http11ProtocolException("A chunk is not followed by CRLF.");
            }
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var end = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8);
            if (end >= 0)
            {
                var line = Encoding.Latin1.GetString(_buffer, _start, end);
                _start += end + 2;
                return line;
            }
            if (_end - _start > limits.MaxChunkLineBytes)
            {
                throw new Http11ProtocolException("A chunk header line is too long.");
            }
            if (await FillAsync(cancellationToken) == 0)
            {
                throw new Http11EndedException("The server closed the connection in the middle of a chunked body.", false);
            }
        }
    }

    private async Task<byte[]> ReadExactlyAsync(int count, CancellationToken cancellationToken)
    {
        var result = new byte[count];
        var filled = 0;
        while (filled < count)
        {
            if (_end == _start && await FillAsync(cancellationToken) == 0)
            {
                throw new Http11EndedException($"The server closed the connection after {filled} of {count} body bytes.", false);
            }
            var take = Math.Min(count - filled, _end - _start);
            _buffer.AsSpan(_start, take).CopyTo(result.AsSpan(filled));
            _start += take;
            filled += take;
        }
        return result;
    }

    private async Task<(byte[] Body, bool TooLarge)> ReadToEndAsync(int max, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        while (true)
        {
            if (_end == _start && await FillAsync(cancellationToken) == 0)
            {
                return (body.ToArray(), false);
            }
            var take = _end - _start;
            if (body.Length + take > max)
            {
                body.Write(_buffer, _start, (int)(max - body.Length));
                return (body.ToArray(), true);
            }
            body.Write(_buffer, _start, take);
            _start = _end;
        }
    }

    /// <summary>Reads more bytes into the buffer (compacting or growing it); 0 at end of stream.</summary>
    private async Task<int> FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0 && _start == _end)
        {
            (_start, _end) = (0, 0);
        }
        if (_end == _buffer.Length)
        {
            var live = _end - _start;
            var target = live * 2 > _buffer.Length ? new byte[_buffer.Length * 2] : _buffer;
            _buffer.AsSpan(_start, live).CopyTo(target);
            (_buffer, _start, _end) = (target, 0, live);
        }
        var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
        _end += read;
        return read;
    }

    private static bool HasToken(IEnumerable<KeyValuePair<string, string>> headers, string name, string token) =>
        headers.Where(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase))
            .SelectMany(h => h.Value.Split(',', StringSplitOptions.TrimEntries))
            .Any(t => t.Equals(token, StringComparison.OrdinalIgnoreCase));
}
