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
    /// <summary>
    /// What the calls and login checks build on: the client report, and, when the client API answered, its base URL, the
    /// address it was reached at, what <c>/versions</c> said and the call transports of the client well-known.
    /// </summary>
    public sealed record Result(ClientDiscoveryReport Report, Uri? BaseUri, IPAddress? BaseAddress, ClientVersions? Versions, IReadOnlyList<RtcTransport> WellKnownFoci)
    {
        /// <summary>The calls and login checks' client API requests, already sent behind /versions.</summary>
        public ClientApiProbes? Probes { get; init; }

        public static Result Without(ClientDiscoveryReport report) => new(report, null, null, null, []);
    }

    private sealed record ClientApi(ClientDocuments.ClientFile? File, ClientVersions? Versions, IPAddress? Address, List<HttpExchange> Requests, List<Finding> Findings)
    {
        public ClientApiProbes? Probes { get; init; }
    }

    private int MaxBytes => context.Limits.ClientBodyBytes;
    private readonly HttpsFetcher _fetcher = new(context, validateCertificate);

    public async Task<Result> RunAsync(CancellationToken cancellationToken)
    {
        var host = context.ServerName.HostForUri;
        var (address, problem) = await _fetcher.ResolveAsync(context.ServerName.Host, "addresses of the server name", cancellationToken);
        if (address is null)
        {
            return Result.Without(new ClientDiscoveryReport(null, null, [], [], null, [],
                [ClientFindings.Unreachable.Create($"Client discovery files could not be fetched from {host}", problem ?? "", host)]));
        }
        var clientTask = FetchClientAsync(host, address, cancellationToken);
        var supportTask = _fetcher.GetAsync(new Uri($"https://{host}/.well-known/matrix/support"), address, MaxBytes, cancellationToken);
        var api = await clientTask;
        var (client, versions, baseAddress, requests, findings) = api;
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
        var report = new ClientDiscoveryReport(client?.BaseUrl, client?.IdentityServer, versions?.Versions ?? [], contacts, supportPage, requests, findings)
        {
            UnstableFeatures = versions?.UnstableFeatures,
        };
        return new Result(report, baseAddress is null ? null : client?.BaseUri, baseAddress, versions, client?.RtcFoci ?? []) { Probes = api.Probes };
    }

    private async Task<ClientApi> FetchClientAsync(
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
            return new ClientApi(null, null, null, requests, findings);
        }
        if (last.Status == 404)
        {
            findings.Add(ClientFindings.NotFound.Create(Phrase.Of("client.not_found.Summary", ("url", $"https://{host}/.well-known/matrix/client")), new Phrase("client.not_found.Detail"), host));
            return new ClientApi(null, null, null, requests, findings);
        }
        if (last.Status != 200 || last.Body.Length == 0)
        {
            findings.Add(ClientFindings.Invalid.Create($"/.well-known/matrix/client answered {last.Status}{(last.Body.Length == 0 ? " with an empty body" : "")}",
                $"Body starts: {last.BodyPreview()}", host));
            return new ClientApi(null, null, null, requests, findings);
        }
        CheckHeaders(fetch.Requests, "/.well-known/matrix/client", host, findings);
        var file = ClientDocuments.ParseClient(last.Body, host);
        findings.AddRange(file.Findings);
        if (file.BaseUri is null)
        {
            return new ClientApi(file, null, null, requests, findings);
        }

        var versionsUri = new Uri(file.BaseUri.AbsoluteUri.TrimEnd('/') + "/_matrix/client/versions");
        if (versionsUri.Scheme != Uri.UriSchemeHttps)
        {
            findings.Add(ClientFindings.BaseUrlInvalid.Create($"base_url {file.BaseUrl} is plain http://", "Clients must reach the homeserver over HTTPS; the tester does not check plain HTTP.", host));
            return new ClientApi(file, null, null, requests, findings);
        }
        var (target, problem) = await _fetcher.ResolveAsync(versionsUri.IdnHost, "addresses of the client base_url host", cancellationToken);
        if (target is null)
        {
            findings.Add(ClientFindings.BaseUrlUnreachable.Create($"{versionsUri.Host} from base_url cannot be reached", problem ?? "", host));
            return new ClientApi(file, null, null, requests, findings);
        }
        var versionsTask = _fetcher.GetAsync(versionsUri, target, MaxBytes, cancellationToken);
        var probes = ClientApiProbes.Start(_fetcher, MaxBytes, file.BaseUri, target, cancellationToken);
        var versionsFetch = await versionsTask;
        requests.AddRange(versionsFetch.Requests);
        var versions = versionsFetch.Problem == FetchProblem.None && versionsFetch.Last.Status == 200 ? ClientVersions.Parse(versionsFetch.Last.Body) : null;
        if (versions is null)
        {
            var detail = versionsFetch.Problem != FetchProblem.None
                ? versionsFetch.Detail ?? ""
                : $"HTTP {versionsFetch.Last.Status}; body starts: {versionsFetch.Last.BodyPreview()}";
            findings.Add(ClientFindings.BaseUrlUnreachable.Create($"{versionsUri} did not return the client API versions", detail, host));
            probes.Abandon();
            return new ClientApi(file, null, null, requests, findings);
        }
        CheckHeaders(versionsFetch.Requests, versionsUri.AbsolutePath, host, findings, checkContentType: false);
        return new ClientApi(file, versions, target, requests, findings) { Probes = probes };
    }

    /// <summary>
    /// CORS on every answer a web client reads, redirects included (spec v1.20: clients follow redirects of the client
    /// well-known, and a browser needs the header on each hop); the content type on the final answer.
    /// </summary>
    private static void CheckHeaders(IReadOnlyList<HttpExchange> hops, string what, string host, List<Finding> findings, bool checkContentType = true)
    {
        for (var i = 0; i < hops.Count; i++)
        {
            var described = i == hops.Count - 1 ? what : $"The redirect {hops[i].Url} (on the way to {what})";
            if (Cors.ClientFinding(hops[i], described, host) is { } finding)
            {
                findings.Add(finding);
            }
        }
        var exchange = hops[^1];
        if (checkContentType && !WellKnownParser.IsJsonContentType(exchange.Header("content-type")))
        {
            findings.Add(ClientFindings.ContentType.Create($"{what} is served as {exchange.Header("content-type") ?? "no Content-Type"}", $"{exchange.Url} should be application/json.", host));
        }
    }
}
