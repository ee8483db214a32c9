using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using MatrixTester.Diagnostics.Federation;
using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.Discovery;

/// <summary>Pure rules for the server well-known: body validation and the cache lifetime a homeserver would apply.</summary>
public static class WellKnownParser
{
    /// <summary>Synapse's WELL_KNOWN_MAX_SIZE. Its reader fails once the body reaches this size, so a body of exactly
    /// 51,200 bytes already fails: the largest usable body is one byte less.</summary>
    public const int MaxBodyBytes = Federation.HttpLimits.WellKnownTooLargeBytes;

    public const int LargestUsableBody = MaxBodyBytes - 1;

    public static readonly TimeSpan DefaultTtl = TimeSpan.FromHours(24);
    public static readonly TimeSpan MinTtl = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan MaxTtl = TimeSpan.FromHours(48);
    public static readonly TimeSpan ErrorTtl = TimeSpan.FromHours(1);

    /// <summary>Validate a 200 body. Returns the outcome, the m.server text if any, and a precise reason on failure.</summary>
    public static (WellKnownOutcome Outcome, string? MServer, string? Problem) ParseBody(ReadOnlySpan<byte> body)
    {
        string text;
        var (json, loneSurrogates) = LoneSurrogates.Replace(body);
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(json);
        }
        catch (DecoderFallbackException)
        {
            return (WellKnownOutcome.InvalidJson, null, "The body is not valid UTF-8, so it cannot be JSON.");
        }
        if (text.AsSpan().Trim().IsEmpty)
        {
            return (WellKnownOutcome.InvalidJson, null, "The body is empty.");
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 32, AllowDuplicateProperties = false });
        }
        catch (JsonException ex)
        {
            var start = text.TrimStart();
            var hint = start.StartsWith('<') ? " It looks like HTML: a web server rule probably serves a page instead of the file." : "";
            return (WellKnownOutcome.InvalidJson, null, $"The body is not valid JSON: {ex.Message}{hint}");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (WellKnownOutcome.NotAnObject, null, $"The body is a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}, not an object.");
            }
            if (!document.RootElement.TryGetProperty("m.server", out var mServer))
            {
                var keys = string.Join(", ", document.RootElement.EnumerateObject().Select(p => $"\"{ReportText.Cap(p.Name, 64)}\"").Take(5));
                var hint = document.RootElement.TryGetProperty("m.homeserver", out _) ? " It looks like the client file (/.well-known/matrix/client) is served here instead." : "";
                return (WellKnownOutcome.MissingMServer, null, $"The object has no \"m.server\" property{(keys.Length > 0 ? $" (it has {keys})" : "")}.{hint}");
            }
            if (mServer.ValueKind != JsonValueKind.String)
            {
                return (WellKnownOutcome.MissingMServer, null, $"\"m.server\" is a {mServer.ValueKind.ToString().ToLowerInvariant()}, not a string.");
            }
            var value = mServer.GetString()!;
            // A valid m.server is a server name (at most 262 characters), kept whole; anything else is the server's
            // text and is capped before it is quoted or kept.
            var shown = ReportText.Cap(value, ReportText.Name);
            if (value.Length == 0)
            {
                return (WellKnownOutcome.EmptyMServer, value, "\"m.server\" is an empty string.");
            }
            if (loneSurrogates > 0 && value.Contains('\uFFFD', StringComparison.Ordinal))
            {
                // Synapse's JSON reader keeps the half character, then fails to encode m.server as ASCII and treats the
                // file as invalid; Go reads it as U+FFFD and rejects the name. Either way the delegation is not used.
                return (WellKnownOutcome.NonAsciiMServer, value, $"\"m.server\" is \"{value}\", where each \uFFFD stands for a \\u escape of half a surrogate pair: not a character, so not an ASCII name.");
            }
            if (!Ascii.IsValid(value))
            {
                // Synapse encodes m.server as ASCII; failing that, the file counts as invalid and discovery goes on.
                return (WellKnownOutcome.NonAsciiMServer, shown, $"\"m.server\" is \"{shown}\", which has non-ASCII characters; internationalised names must be written in punycode (xn--…).");
            }
            ServerNameError? error = null;
            if (value != value.Trim() || !ServerName.TryParse(value, out _, out error))
            {
                var reason = error?.Message ?? "it has white space around it.";
                return (WellKnownOutcome.InvalidMServer, shown, $"\"m.server\" is \"{shown}\", which is not a valid server name: {reason}");
            }
            return (WellKnownOutcome.Delegated, value, null);
        }
    }

    /// <summary>True for application/json (any parameters). Anything else earns a warning.</summary>
    public static bool IsJsonContentType(string? contentType) =>
        contentType is not null && MediaTypeHeaderValue.TryParse(contentType, out var media) &&
        string.Equals(media.MediaType, "application/json", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The cache lifetime a homeserver applies (spec: respect cache headers, 24 h default, 48 h maximum, errors about
    /// 1 h; Synapse additionally raises anything under 5 min to 5 min). <c>max-age</c> wins over <c>Expires</c>;
    /// <c>no-store</c> means 0 before clamping. <paramref name="raw"/> is what the headers asked for, if anything.
    /// </summary>
    public static (TimeSpan Ttl, TimeSpan? Raw, string Source) CacheTtl(HttpExchange? response, bool success, DateTimeOffset now)
    {
        if (!success || response is null)
        {
            return (ErrorTtl, null, "failures are cached for about an hour");
        }
        TimeSpan? raw = null;
        var source = "no caching headers: the 24 h default";
        if (response.Header("cache-control") is { } cacheControl)
        {
            foreach (var directive in cacheControl.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (directive.Equals("no-store", StringComparison.OrdinalIgnoreCase))
                {
                    raw = TimeSpan.Zero;
                    source = "Cache-Control: no-store";
                    break;
                }
                var eq = directive.IndexOf('=', StringComparison.Ordinal);
                if (eq > 0 && directive[..eq].Trim().Equals("max-age", StringComparison.OrdinalIgnoreCase) &&
                    long.TryParse(directive[(eq + 1)..].Trim().Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
                {
                    raw = TimeSpan.FromSeconds(Math.Min(seconds, (long)TimeSpan.FromDays(3650).TotalSeconds));
                    source = $"Cache-Control: max-age={seconds}";
                }
            }
        }
        if (raw is null && response.Header("expires") is { } expires)
        {
            raw = DateTimeOffset.TryParseExact(expires, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) && at > now
                ? at - now
                : TimeSpan.Zero;
            source = $"Expires: {expires}";
        }
        var ttl = raw ?? DefaultTtl;
        ttl = ttl < MinTtl ? MinTtl : ttl > MaxTtl ? MaxTtl : ttl;
        return (ttl, raw, source);
    }

    public static string Humanize(TimeSpan span) => span.TotalHours >= 1
        ? $"{span.TotalHours:0.#} h"
        : span.TotalMinutes >= 1 ? $"{span.TotalMinutes:0.#} min" : $"{span.TotalSeconds:0} s";
}
