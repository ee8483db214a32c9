using System.Net;
using System.Security.Cryptography.X509Certificates;
using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.Federation;

public enum FetchProblem
{
    None,
    /// <summary>The last request failed at the transport level; see its <see cref="HttpExchange.Failure"/>.</summary>
    Transport,
    BadRedirect,
    RedirectLoop,
    TooManyRedirects,
}

/// <summary>A GET with every redirect hop, ending at a non-redirect response unless <see cref="Problem"/> says otherwise.</summary>
public sealed record FetchResult(IReadOnlyList<HttpExchange> Requests, FetchProblem Problem, string? Detail)
{
    public HttpExchange Last => Requests[^1];
}

/// <summary>
/// Plain HTTPS GETs as a homeserver or client makes them (normal certificate validation), with redirects followed
/// hop by hop: each new host is resolved by our DNS and its address checked by the address policy before connecting;
/// loops, non-https targets and over-long chains stop with a reason. Every hop goes over the diagnosis's shared
/// connection to its address and host (<see cref="DiagnosisContext.SharedConnection"/>).
/// </summary>
internal sealed class HttpsFetcher(DiagnosisContext context, Func<IReadOnlyList<X509Certificate2>, string, string?> validateCertificate)
{
    /// <param name="followHttp">Follow a redirect to plain http:// (homeservers do for the server well-known; Synapse's
    /// and Go's HTTP clients follow any redirect). Otherwise such a redirect stops with <see cref="FetchProblem.BadRedirect"/>.</param>
    /// <param name="queued">Called once the first request has joined its connection's queue (HTTP/1.1 answers in that order).</param>
    public async Task<FetchResult> GetAsync(Uri url, IPAddress address, int maxBodyBytes, CancellationToken cancellationToken, bool followHttp = false, Action? queued = null)
    {
        var requests = new List<HttpExchange>();
        var visited = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { url.AbsoluteUri };
        for (var hop = 0; ; hop++)
        {
            var sending = SendAsync(OutboundRequest.Get(url.PathAndQuery, maxBodyBytes), url, address, cancellationToken);
            queued?.Invoke();
            var exchange = await sending;
            requests.Add(exchange);
            if (exchange.Failure != ExchangeFailure.None)
            {
                return new FetchResult(requests, FetchProblem.Transport, exchange.Error);
            }
            if (exchange.Status is not (301 or 302 or 303 or 307 or 308))
            {
                return new FetchResult(requests, FetchProblem.None, null);
            }

            var location = exchange.Header("location");
            if (location is null || !Uri.TryCreate(url, location, out var next))
            {
                return new FetchResult(requests, FetchProblem.BadRedirect, $"{url} answered {exchange.Status} without a usable Location header ({location ?? "none"}).");
            }
            if (next.Scheme != Uri.UriSchemeHttps && !(followHttp && next.Scheme == Uri.UriSchemeHttp))
            {
                return new FetchResult(requests, FetchProblem.BadRedirect, $"{url} redirects to {next}, which is not https://; it must stay on HTTPS.");
            }
            if (!visited.Add(next.AbsoluteUri))
            {
                return new FetchResult(requests, FetchProblem.RedirectLoop, $"{url} redirects back to {next}, which was already visited: a redirect loop.");
            }
            if (hop + 1 > context.Options.MaxRedirects)
            {
                return new FetchResult(requests, FetchProblem.TooManyRedirects, $"Still redirecting after {context.Options.MaxRedirects} redirects (last to {next}).");
            }
            if (!string.Equals(next.IdnHost, url.IdnHost, StringComparison.OrdinalIgnoreCase))
            {
                var (resolved, problem) = await ResolveAsync(next.IdnHost, $"redirect target {next.Host}", cancellationToken);
                if (resolved is null)
                {
                    return new FetchResult(requests, FetchProblem.BadRedirect, $"The redirect goes to {next.Host}: {problem}");
                }
                address = resolved;
            }
            url = next;
        }
    }

    /// <summary>
    /// One request, no redirect followed, over the diagnosis's shared connection to <paramref name="address"/> and the
    /// TLS name (default: the URL's host, also the Host header unless <paramref name="hostHeader"/> says otherwise).
    /// The request joins its connection's queue before the first await, so callers that must be queued in an order get it.
    /// </summary>
    public Task<HttpExchange> SendAsync(OutboundRequest request, Uri url, IPAddress address, CancellationToken cancellationToken,
        string? hostHeader = null, string? tlsName = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = tlsName ?? url.IdnHost;
        // Shared for the diagnosis: the same host's other files (and a redirect back to it) reuse the connection.
        var connection = context.SharedConnection(new IPEndPoint(address, url.Port), name, url.Scheme == Uri.UriSchemeHttp, chain => validateCertificate(chain, name));
        var sending = connection.SendAsync(request, hostHeader ?? (url.IsDefaultPort ? url.Host : $"{url.Host}:{url.Port}"), () => context.Elapsed, cancellationToken);
        return Finish(sending, url, address, request.Method);
    }

    /// <summary>Waits for the answer as a wait the live view can show (from the moment the request is queued).</summary>
    private async Task<HttpExchange> Finish(Task<HttpExchange> sending, Uri url, IPAddress address, string method)
    {
        HttpExchange exchange;
        using (context.Waiting($"{url.AbsoluteUri} ({address})"))
        {
            exchange = await sending;
        }
        return exchange with { Url = ReportText.Cap(url.AbsoluteUri, ReportText.Url), Method = method == "GET" ? null : method };
    }

    /// <summary>The first address of <paramref name="host"/> the policy allows, or why there is none.</summary>
    public async Task<(IPAddress? Address, string? Problem)> ResolveAsync(string host, string purpose, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            var decision = context.Policy.Check(literal);
            return decision.Allowed ? (literal, null) : (null, $"{literal} is a non-public address ({decision.Range}); the tester does not connect to it.");
        }
        var addresses = await context.ResolveHostAsync(host, purpose, cancellationToken);
        if (addresses.Addresses.Count == 0)
        {
            return (null, addresses.Problem ?? $"{host} has no address in DNS.");
        }
        var allowed = addresses.Addresses.FirstOrDefault(a => context.Policy.Check(a).Allowed);
        return allowed is not null
            ? (allowed, null)
            : (null, $"{host} resolves only to non-public addresses ({addresses.Addresses[0]}: {AddressPolicy.Classify(addresses.Addresses[0])}); the tester does not connect to them.");
    }
}
