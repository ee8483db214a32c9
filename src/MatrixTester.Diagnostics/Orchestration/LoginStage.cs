using System.Net;
using MatrixTester.Diagnostics.Client;
using MatrixTester.Diagnostics.Federation;
using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.Orchestration;

/// <summary>
/// Login readiness, as a next-generation client (Element X) starts a login: the homeserver's OAuth 2.0 server metadata
/// (the v1 path, then MSC2965's unstable ones), then the issuer it names: its OpenID Connect discovery document over a
/// valid certificate with exactly that issuer, and its key set. No issuer announced means classic login: normal.
/// </summary>
internal sealed class LoginStage(DiagnosisContext context, HttpsFetcher fetcher)
{
    private string Subject => context.ServerName.HostForUri;

    public async Task<AuthReport> RunAsync(ClientStage.Result client, CancellationToken cancellationToken)
    {
        var baseUri = client.BaseUri ?? throw new ArgumentException("The login check needs a client API that answered.", nameof(client));
        var run = new Run();
        var sent = client.Probes ?? ClientApiProbes.Start(fetcher, context.Limits.ClientBodyBytes, baseUri, client.BaseAddress!, cancellationToken);
        var (metadata, metadataExchange) = await FindMetadataAsync(sent.Metadata, run, cancellationToken);
        if (metadata is null || metadataExchange is null)
        {
            return run.Findings.Count > 0
                ? run.Report(AuthStatus.Broken, null, "Login is broken: the homeserver's login metadata could not be read")
                : run.Report(AuthStatus.Legacy, null, "Login: the server offers the classic login API (password or single sign-on), not OAuth 2.0");
        }
        // The older issuer-only answer has no endpoints to check; a metadata answer must have what clients require.
        var issuerOnly = metadataExchange.Url.EndsWith(AuthDocuments.UnstableIssuerPath, StringComparison.Ordinal);
        if (!issuerOnly && metadata.Missing.Count > 0)
        {
            var lacks = string.Join(", ", metadata.Missing);
            Fail(run, AuthCheckKind.ServerMetadata, metadataExchange.Url, AuthFindings.Unreachable, new Phrase("auth.unreachable.Incomplete"),
                $"{metadataExchange.Url} names the issuer {metadata.Issuer} but lacks {lacks}. Clients such as Element Web refuse metadata without them.", Subject);
        }
        else
        {
            run.Check(AuthCheckKind.ServerMetadata, metadataExchange.Url, true, issuerOnly
                ? $"It names the issuer {metadata.Issuer} (the older issuer-only answer)."
                : $"It names the issuer {metadata.Issuer} and every endpoint clients need.");
        }
        CheckCors(metadataExchange, "The login metadata", Subject, run);
        var issuer = ReportText.Cap(metadata.Issuer, ReportText.Url);
        var discovered = await CheckIssuerAsync(metadata, run, cancellationToken);
        var jwks = discovered?.JwksUri ?? metadata.JwksUri;
        if (discovered is not null && jwks is not null)
        {
            await CheckKeySetAsync(jwks, run, cancellationToken);
        }
        var broken = run.Findings.Any(f => f.PartOf() == ReportPart.Login);
        var report = run.Report(broken ? AuthStatus.Broken : AuthStatus.Oidc, issuer, broken
            ? $"Login is broken: clients cannot complete an OAuth 2.0 login with the issuer {issuer}"
            : $"Login uses OAuth 2.0 (next-generation auth) with the issuer {issuer}");
        return report with
        {
            MetadataUrl = metadataExchange.Url,
            AuthorizationEndpoint = metadata.AuthorizationEndpoint ?? discovered?.AuthorizationEndpoint,
            TokenEndpoint = metadata.TokenEndpoint ?? discovered?.TokenEndpoint,
            JwksUri = ReportText.CapOrNull(jwks, ReportText.Url),
        };
    }

    /// <summary>
    /// The first metadata path, in order, that answers with an issuer; a path that is not there (404, M_UNRECOGNIZED)
    /// gives way to the next. All three were sent together behind /versions (<see cref="ClientApiProbes"/>).
    /// </summary>
    private async Task<(AuthDocuments.Metadata?, HttpExchange?)> FindMetadataAsync(IReadOnlyList<Task<HttpExchange>> sending, Run run, CancellationToken cancellationToken)
    {
        var answers = await Task.WhenAll(sending).WaitAsync(cancellationToken);
        run.Requests.AddRange(answers);
        foreach (var exchange in answers)
        {
            if (exchange.Status == 200 && AuthDocuments.ParseMetadata(exchange.Body) is { } metadata)
            {
                return (metadata, exchange);
            }
            var errcode = RtcDocuments.Errcode(exchange.Body);
            if (exchange.Failure == ExchangeFailure.None && (exchange.Status is 404 || errcode == "M_UNRECOGNIZED"))
            {
                continue;
            }
            var what = exchange.Failure != ExchangeFailure.None ? exchange.Error ?? "The request failed."
                : $"It answered {exchange.Status}{(errcode is null ? "" : $" {errcode}")}; body starts: {exchange.BodyPreview()}";
            run.Check(AuthCheckKind.ServerMetadata, exchange.Url, false, what);
            run.Findings.Add(AuthFindings.Unreachable.Create(Phrase.Of("auth.unreachable.Metadata", ("url", exchange.Url)), null, Subject, rawDetail: what));
            return (null, null);
        }
        return (null, null);
    }

    /// <summary>The issuer's discovery document: reachable over valid TLS, JSON, and naming exactly the announced issuer.</summary>
    private async Task<AuthDocuments.Metadata?> CheckIssuerAsync(AuthDocuments.Metadata metadata, Run run, CancellationToken cancellationToken)
    {
        var issuer = ReportText.Cap(metadata.Issuer, ReportText.Url);
        if (System.Text.Encoding.UTF8.GetByteCount(metadata.Issuer) > ReportText.Url)
        {
            Fail(run, AuthCheckKind.IssuerDiscovery, issuer, AuthFindings.Unreachable, Phrase.Of("auth.unreachable.IssuerTooLong", ("bytes", ReportText.Url)),
                "An issuer is a short https:// URL; the tester does not fetch a discovery document under one this long.", Subject);
            return null;
        }
        if (AuthDocuments.DiscoveryUrl(metadata.Issuer) is not { } discovery)
        {
            Fail(run, AuthCheckKind.IssuerDiscovery, issuer, AuthFindings.Unreachable, Phrase.Of("auth.unreachable.IssuerNotHttps", ("issuer", issuer)), "Clients look for the issuer's discovery document under its https:// URL.", Subject);
            return null;
        }
        var (fetch, why) = await GetAsync(discovery, $"addresses of the login issuer {discovery.Host}", run, cancellationToken);
        if (fetch is null || AuthDocuments.ParseMetadata(fetch.Last.Body) is not { } found)
        {
            why = fetch is null ? why : $"It answered 200 without an issuer in a JSON object; body starts: {fetch.Last.BodyPreview()}";
            Fail(run, AuthCheckKind.IssuerDiscovery, discovery.AbsoluteUri, AuthFindings.Unreachable, Phrase.Of("auth.unreachable.Discovery", ("url", discovery)), why, discovery.Host);
            return null;
        }
        run.Check(AuthCheckKind.IssuerDiscovery, fetch.Last.Url, true, "It answered over a valid certificate with a JSON document.");
        CheckCors(fetch.Last, "The login issuer's discovery document", discovery.Host, run);
        if (!string.Equals(found.Issuer, metadata.Issuer, StringComparison.Ordinal))
        {
            var named = ReportText.Cap(found.Issuer, ReportText.Url);
            Fail(run, AuthCheckKind.IssuerMatch, fetch.Last.Url, AuthFindings.IssuerMismatch, Phrase.Of("auth.issuer_mismatch.Summary", ("named", named), ("issuer", issuer)),
                $"The homeserver announces the issuer \"{issuer}\"; {fetch.Last.Url} says \"{named}\". Clients compare them exactly (OpenID Connect Discovery 1.0, section 4.3) and stop the login.", discovery.Host);
            return null;
        }
        run.Check(AuthCheckKind.IssuerMatch, fetch.Last.Url, true, $"It names the same issuer, {issuer}.");
        return found;
    }

    private async Task CheckKeySetAsync(string jwksUri, Run run, CancellationToken cancellationToken)
    {
        var shown = ReportText.Cap(jwksUri, ReportText.Url);
        if (!Uri.TryCreate(jwksUri, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
        {
            Fail(run, AuthCheckKind.KeySet, shown, AuthFindings.Unreachable, Phrase.Of("auth.unreachable.KeySetNotHttps", ("url", shown)), "Clients and the homeserver fetch the issuer's signing keys from jwks_uri.", Subject);
            return;
        }
        var (fetch, why) = await GetAsync(uri, $"addresses of the login key set {uri.Host}", run, cancellationToken);
        var keys = fetch is null ? null : AuthDocuments.KeyCount(fetch.Last.Body);
        if (fetch is null || keys is null or 0)
        {
            why = fetch is null ? why : keys == 0 ? "It answered a key set with no keys." : $"It answered 200, not a JSON Web Key Set; body starts: {fetch.Last.BodyPreview()}";
            Fail(run, AuthCheckKind.KeySet, shown, AuthFindings.Unreachable, Phrase.Of("auth.unreachable.KeySet", ("url", shown)), why, uri.Host);
            return;
        }
        run.Check(AuthCheckKind.KeySet, fetch.Last.Url, true, $"It answered a key set with {keys} key{(keys == 1 ? "" : "s")}.");
    }

    /// <summary>A GET of a URL the issuer published (redirects followed hop by hop, each through the address policy); a problem when its host has no allowed address.</summary>
    private async Task<(FetchResult? Fetch, string Problem)> GetAsync(Uri url, string purpose, Run run, CancellationToken cancellationToken)
    {
        var (address, problem) = await fetcher.ResolveAsync(url.IdnHost, purpose, cancellationToken);
        if (address is null)
        {
            return (null, problem ?? $"{url.Host} has no address.");
        }
        var fetch = await fetcher.GetAsync(url, address, context.Limits.ClientBodyBytes, cancellationToken);
        run.Requests.AddRange(fetch.Requests);
        var why = fetch.Problem != FetchProblem.None ? fetch.Detail ?? "The request failed."
            : $"It answered {fetch.Last.Status}; body starts: {fetch.Last.BodyPreview()}";
        return (fetch.Problem == FetchProblem.None && fetch.Last.Status == 200 ? fetch : null, why);
    }

    private static void CheckCors(HttpExchange exchange, string what, string subject, Run run)
    {
        var finding = Cors.ClientFinding(exchange, what, subject);
        run.Check(AuthCheckKind.BrowserAccess, exchange.Url, finding is null, finding?.Summary ?? "It sends Access-Control-Allow-Origin: * for browser clients.");
        if (finding is not null)
        {
            run.Findings.Add(finding);
        }
    }

    /// <summary>A failed check and its finding: the summary is ours (a phrase, so it reads in any language), the detail quotes what was seen.</summary>
    private static void Fail(Run run, AuthCheckKind kind, string url, FindingDefinition definition, Phrase summary, string detail, string subject)
    {
        run.Check(kind, url, false, summary.English());
        run.Findings.Add(definition.Create(summary, null, subject, rawDetail: detail));
    }

    /// <summary>What one login check collects as it goes.</summary>
    private sealed class Run
    {
        public List<HttpExchange> Requests { get; } = [];

        public List<Finding> Findings { get; } = [];

        private readonly List<AuthCheck> _checks = [];

        public void Check(AuthCheckKind kind, string url, bool passed, string detail) =>
            _checks.Add(new AuthCheck(kind, ReportText.Cap(url, ReportText.Url), passed, ReportText.Cap(detail, ReportText.Paragraph)));

        public AuthReport Report(AuthStatus status, string? issuer, string summary) =>
            new(status, issuer, [.. _checks]) { Summary = ReportText.Cap(summary, ReportText.Paragraph), Requests = [.. Requests], Findings = [.. Findings] };
    }
}
