using System.Text.Json;
using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.Federation;

public static class VersionFindings
{
    public static readonly FindingDefinition HttpStatus = new("version.http_status", Severity.Error, "/_matrix/federation/v1/version did not answer 200", "version#http-status",
        "Route /_matrix/federation/v1/version (all of /_matrix/federation/) to the homeserver on this address and port; a 404 or an HTML page usually means the reverse proxy sends it elsewhere.");

    public static readonly FindingDefinition NotJson = new("version.not_json", Severity.Error, "/_matrix/federation/v1/version is not a JSON object", "version#not-json",
        "Make the reverse proxy pass /_matrix/federation/ to the homeserver instead of answering itself (an HTML body usually comes from a default site or a login page).");

    public static readonly FindingDefinition MissingServer = new("version.missing_server", Severity.Warning, "The version response has no server name or version", "version#missing-server",
        "Homeservers answer {\"server\": {\"name\": …, \"version\": …}}; a different body suggests something other than a homeserver is answering.");

    public static readonly FindingDefinition Unreachable = new("version.unreachable", Severity.Error, "/_matrix/federation/v1/version could not be fetched", "version#unreachable",
        "The connection failed while asking for the version; see the connection findings for this address.");
}

/// <summary>Judges <c>GET /_matrix/federation/v1/version</c> (spec, server-server API, "Server implementation").</summary>
public static class VersionCheck
{
    public static (VersionReport Report, IReadOnlyList<Finding> Findings) Evaluate(HttpExchange exchange, string subject)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        if (exchange.Failure == ExchangeFailure.BodyTooLarge)
        {
            var error = $"The version response is larger than the tester's limit ({exchange.Error}); a homeserver answers with a few dozen bytes.";
            return (new VersionReport(null, null, error),
                [VersionFindings.NotJson.Create($"/_matrix/federation/v1/version on {subject} sent an oversized body", error, subject)]);
        }
        if (exchange.Failure != ExchangeFailure.None)
        {
            var error = exchange.Error ?? exchange.Failure.Describe();
            return (new VersionReport(null, null, error),
                [VersionFindings.Unreachable.Create($"/_matrix/federation/v1/version on {subject} failed: {exchange.Failure.Describe()}", error, subject)]);
        }
        var contentType = exchange.Header("content-type") ?? "(none)";
        if (exchange.Status != 200)
        {
            var error = $"HTTP {exchange.Status} from {exchange.Url} (Content-Type {contentType}); body starts: {exchange.BodyPreview()}";
            return (new VersionReport(null, null, error),
                [VersionFindings.HttpStatus.Create($"/_matrix/federation/v1/version on {subject} answered {exchange.Status}", error, subject)]);
        }
        var (body, loneSurrogates) = LoneSurrogates.Replace(exchange.Body);
        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 32 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new JsonException($"the body is a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}");
            }
            string? name = null, version = null;
            if (document.RootElement.TryGetProperty("server", out var server) && server.ValueKind == JsonValueKind.Object)
            {
                name = server.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
                version = server.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            }
            Finding[] text = loneSurrogates > 0 ? [ResponseTextFindings.For(ResponseTextFindings.Version, $"The version response on {subject}", loneSurrogates, subject)] : [];
            if (name is null || version is null)
            {
                return (new VersionReport(name, version, null),
                    [VersionFindings.MissingServer.Create($"The version response on {subject} lacks server.name or server.version", $"Body starts: {exchange.BodyPreview()}", subject), .. text]);
            }
            return (new VersionReport(Truncate(name), Truncate(version), null), text);
        }
        catch (JsonException ex)
        {
            var error = $"Not a JSON object ({ex.Message}); Content-Type {contentType}; body starts: {exchange.BodyPreview()}";
            return (new VersionReport(null, null, error),
                [VersionFindings.NotJson.Create($"/_matrix/federation/v1/version on {subject} did not return JSON", error, subject)]);
        }
    }

    private static string Truncate(string text) => ReportText.Cap(text, ReportText.Name);
}
