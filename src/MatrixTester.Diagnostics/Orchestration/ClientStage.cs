using System.Net;
using System.Security.Cryptography.X509Certificates;
using MatrixTester.Diagnostics.Client;
using MatrixTester.Diagnostics.Discovery;
using MatrixTester.Diagnostics.Federation;
using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Reports;

namespace MatrixTester.Diagnostics.Orchestration;

/// <summary>
/// What a Matrix client sees (client-server API, "Server Discovery"): <c>https://&lt;hostname&gt;/.well-known/matrix/client</c>
/// (port 443 whatever the server name's port), then <c>&lt;base_url&gt;/_matrix/client/versions</c>; and the support file.
/// Runs alongside federation discovery and reuses its DNS answers.
/// </summary>
internal sealed class ClientStage(DiagnosisContext context, Func<IReadOnlyList<X509Certificate2>, string, string?> validateCertificate)
{
    private int MaxBytes => context.Limits.ClientBodyBytes;
    private readonly HttpsFetcher _fetcher = new(context, validateCertificate);

    public async Task<ClientDiscoveryReport> RunAsync(CancellationToken cancellationToken)
    {
        var host = context.ServerName.HostForUri;
        var (address, problem) = await _fetcher.ResolveAsync(context.ServerName.Host, "addresses of the server name", cancellationToken);
        if (address is null)
        {
            return new ClientDiscoveryReport(null, null, [], [], null, [],
                [ClientFindings.Unreachable.Create($"Client discovery files could not be fetched from {host}", problem ?? "", host)]);
        }
        var clientTask = FetchClientAsync(host, address, cancellationToken);
        var supportTask = _fetcher.GetAsync(new Uri($"https://{host}/.well-known/matrix/support"), address, MaxBytes, cancellationToken);
        var (client, listed, requests, findings) = await clientTask;
        var support = await supportTask;
        requests.AddRange(support.Requests);

        IReadOnlyList<SupportContact> contacts = [];
        string? supportPage = null;
        if (support.Problem == FetchProblem.None && support.Last.Status == 404)
        {
            findings.Add(ClientFindings.SupportNotFound.Create(Phrase.Of("support.not_found.Summary", ("url", $"https://{host}/.well-known/matrix/support")), new Phrase("support.not_found.Detail"), host));
        }
        else if (support.Problem != FetchProblem.None || support.Last.Status != 200)
        {
            findings.Add(ClientFindings.SupportUnreachable.Create($"/.well-known/matrix/support could not be read", support.Detail ?? $"HTTP {support.Last.Status}", host));
        }
        else
        {
            var parsed = ClientDocuments.ParseSupport(support.Last.Body, host);
            (contacts, supportPage) = (parsed.Contacts, parsed.SupportPage);
            findings.AddRange(parsed.Findings);
        }
        return new ClientDiscoveryReport(client?.BaseUrl, client?.IdentityServer, listed?.Versions ?? [], contacts, supportPage, requests, findings)
        {
            UnstableFeatures = listed?.UnstableFeatures,
        };
    }

    private async Task<(ClientDocuments.ClientFile? File, ClientDocuments.ClientVersions? Versions, List<HttpExchange> Requests, List<Finding> Findings)> FetchClientAsync(
        string host, IPAddress address, CancellationToken cancellationToken)
    {
        var requests = new List<HttpExchange>();
        var findings = new List<Finding>();
        var fetch = await _fetcher.GetAsync(new Uri($"https://{host}/.well-known/matrix/client"), address, MaxBytes, cancellationToken);
        requests.AddRange(fetch.Requests);
        var last = fetch.Last;
        if (fetch.Problem != FetchProblem.None)
        {
            findings.Add((fetch.Problem == FetchProblem.Transport ? ClientFindings.Unreachable : ClientFindings.Invalid)
                .Create("/.well-known/matrix/client could not be fetched", fetch.Detail ?? "", host));
            return (null, null, requests, findings);
        }
        if (last.Status == 404)
        {
            findings.Add(ClientFindings.NotFound.Create(Phrase.Of("client.not_found.Summary", ("url", $"https://{host}/.well-known/matrix/client")), new Phrase("client.not_found.Detail"), host));
            return (null, null, requests, findings);
        }
        if (last.Status != 200 || last.Body.Length == 0)
        {
            findings.Add(ClientFindings.Invalid.Create($"/.well-known/matrix/client answered {last.Status}{(last.Body.Length == 0 ? " with an empty body" : "")}",
                $"Body starts: {last.BodyPreview()}", host));
            return (null, null, requests, findings);
        }
        CheckHeaders(last, "/.well-known/matrix/client", host, findings);
        var file = ClientDocuments.ParseClient(last.Body, host);
        findings.AddRange(file.Findings);
        if (file.BaseUri is null)
        {
            return (file, null, requests, findings);
        }

        var versionsUri = new Uri(file.BaseUri.AbsoluteUri.TrimEnd('/') + "/_matrix/client/versions");
        if (versionsUri.Scheme != Uri.UriSchemeHttps)
        {
            findings.Add(ClientFindings.BaseUrlInvalid.Create($"base_url {file.BaseUrl} is plain http://", "Clients must reach the homeserver over HTTPS; the tester does not check plain HTTP.", host));
            return (file, null, requests, findings);
        }
        var (target, problem) = await _fetcher.ResolveAsync(versionsUri.IdnHost, "addresses of the client base_url host", cancellationToken);
        if (target is null)
        {
            findings.Add(ClientFindings.BaseUrlUnreachable.Create($"{versionsUri.Host} from base_url cannot be reached", problem ?? "", host));
            return (file, null, requests, findings);
        }
        var versionsFetch = await _fetcher.GetAsync(versionsUri, target, MaxBytes, cancellationToken);
        requests.AddRange(versionsFetch.Requests);
        var versions = versionsFetch.Problem == FetchProblem.None && versionsFetch.Last.Status == 200 ? ClientDocuments.ParseVersions(versionsFetch.Last.Body) : null;
        if (versions is null)
        {
            var detail = versionsFetch.Problem != FetchProblem.None
                ? versionsFetch.Detail ?? ""
                : $"HTTP {versionsFetch.Last.Status}; body starts: {versionsFetch.Last.BodyPreview()}";
            findings.Add(ClientFindings.BaseUrlUnreachable.Create($"{versionsUri} did not return the client API versions", detail, host));
            return (file, null, requests, findings);
        }
        CheckHeaders(versionsFetch.Last, versionsUri.AbsolutePath, host, findings, checkContentType: false);
        return (file, versions, requests, findings);
    }

    private static void CheckHeaders(HttpExchange exchange, string what, string host, List<Finding> findings, bool checkContentType = true)
    {
        if (exchange.Header("access-control-allow-origin") is null)
        {
            findings.Add(ClientFindings.CorsMissing.Create($"{what} has no Access-Control-Allow-Origin header", $"{exchange.Url} answered without CORS headers, so browsers block web clients from reading it.", host));
        }
        if (checkContentType && !WellKnownParser.IsJsonContentType(exchange.Header("content-type")))
        {
            findings.Add(ClientFindings.ContentType.Create($"{what} is served as {exchange.Header("content-type") ?? "no Content-Type"}", $"{exchange.Url} should be application/json.", host));
        }
    }
}
