using System.Net;
using System.Security.Cryptography.X509Certificates;
using MatrixTester.Diagnostics.Federation;
using MatrixTester.Diagnostics.Reports;

namespace MatrixTester.Diagnostics.Discovery;

/// <summary>
/// Fetches <c>https://&lt;hostname&gt;/.well-known/matrix/server</c> (spec, resolving server names, step 3) from every
/// address of the host, with normal certificate validation, following redirects hop by hop (each hop's address
/// resolved by our DNS and checked by the address policy), and explains every way it can fail.
/// </summary>
/// <param name="validateCertificate">Returns null when the chain is valid for the name, else the reason.</param>
internal sealed class WellKnownClient(DiagnosisContext context, Func<IReadOnlyList<X509Certificate2>, string, string?> validateCertificate)
{
    private const string Path = "/.well-known/matrix/server";

    public async Task<WellKnownAttempt> FetchAsync(string host, IPAddress address, CancellationToken cancellationToken)
    {
        var requests = new List<HttpExchange>();
        var url = new Uri($"https://{host}{Path}");
        var visited = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { url.AbsoluteUri };
        var currentAddress = address;
        for (var hop = 0; ; hop++)
        {
            var tlsName = url.IdnHost;
            using var connection = new EndpointConnection(new IPEndPoint(currentAddress, url.Port), tlsName, context.Policy, context.Options, context.Anchors, context.Time,
                chain => validateCertificate(chain, tlsName));
            var exchange = await connection.GetAsync(url.PathAndQuery, url.IsDefaultPort ? url.Host : $"{url.Host}:{url.Port}", WellKnownParser.MaxBodyBytes, context.Elapsed, cancellationToken);
            exchange = exchange with { Url = url.AbsoluteUri };
            requests.Add(exchange);

            if (exchange.Failure != ExchangeFailure.None)
            {
                var outcome = exchange.Failure switch
                {
                    ExchangeFailure.AddressRefused => WellKnownOutcome.NoAddress,
                    ExchangeFailure.CertificateRejected => WellKnownOutcome.CertificateInvalid,
                    ExchangeFailure.ConnectTimeout or ExchangeFailure.Timeout => WellKnownOutcome.Timeout,
                    ExchangeFailure.BodyTooLarge => WellKnownOutcome.TooLarge,
                    _ => WellKnownOutcome.ConnectionFailed,
                };
                return new WellKnownAttempt(address, outcome, null, requests, exchange.Error);
            }

            if (exchange.Status is 301 or 302 or 303 or 307 or 308)
            {
                var location = exchange.Header("location");
                if (location is null || !Uri.TryCreate(url, location, out var next))
                {
                    return new WellKnownAttempt(address, WellKnownOutcome.BadRedirect, null, requests,
                        $"{url} answered {exchange.Status} without a usable Location header ({location ?? "none"}).");
                }
                if (next.Scheme != Uri.UriSchemeHttps)
                {
                    return new WellKnownAttempt(address, WellKnownOutcome.BadRedirect, null, requests,
                        $"{url} redirects to {next}, which is not https://. Homeservers only fetch .well-known over HTTPS.");
                }
                if (!visited.Add(next.AbsoluteUri))
                {
                    return new WellKnownAttempt(address, WellKnownOutcome.RedirectLoop, null, requests,
                        $"{url} redirects back to {next}, which was already visited: a redirect loop.");
                }
                if (hop + 1 > context.Options.MaxRedirects)
                {
                    return new WellKnownAttempt(address, WellKnownOutcome.TooManyRedirects, null, requests,
                        $"Still redirecting after {context.Options.MaxRedirects} redirects (last to {next}).");
                }
                if (!string.Equals(next.IdnHost, url.IdnHost, StringComparison.OrdinalIgnoreCase))
                {
                    var resolved = await ResolveRedirectHostAsync(next, cancellationToken);
                    if (resolved.Address is null)
                    {
                        return new WellKnownAttempt(address, resolved.Outcome, null, requests, resolved.Problem);
                    }
                    currentAddress = resolved.Address;
                }
                url = next;
                continue;
            }

            if (exchange.Status == 404)
            {
                return new WellKnownAttempt(address, WellKnownOutcome.NotFound, null, requests, null);
            }
            if (exchange.Status != 200)
            {
                return new WellKnownAttempt(address, WellKnownOutcome.HttpError, null, requests,
                    $"{url} answered {exchange.Status} {exchange.ReasonPhrase}. Body starts: {exchange.BodyPreview(120)}");
            }
            var (parsed, mServer, problem) = WellKnownParser.ParseBody(exchange.Body);
            return new WellKnownAttempt(address, parsed, mServer, requests, problem);
        }
    }

    private async Task<(IPAddress? Address, WellKnownOutcome Outcome, string? Problem)> ResolveRedirectHostAsync(Uri next, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(next.IdnHost.Trim('[', ']'), out var literal))
        {
            var decision = context.Policy.Check(literal);
            return decision.Allowed
                ? (literal, WellKnownOutcome.Delegated, null)
                : (null, WellKnownOutcome.BadRedirect, $"The redirect goes to {next.Host}, a non-public address ({decision.Range}); the tester does not follow it.");
        }
        var addresses = await HostAddresses.ResolveAsync(context, next.IdnHost, $"redirect target of .well-known", cancellationToken);
        if (addresses.Addresses.Count == 0)
        {
            return (null, WellKnownOutcome.BadRedirect, $"The redirect goes to {next.Host}, which has no address in DNS.");
        }
        foreach (var candidate in addresses.Addresses)
        {
            if (context.Policy.Check(candidate).Allowed)
            {
                return (candidate, WellKnownOutcome.Delegated, null);
            }
        }
        var range = AddressPolicy.Classify(addresses.Addresses[0]);
        return (null, WellKnownOutcome.BadRedirect, $"The redirect goes to {next.Host}, which resolves only to non-public addresses ({addresses.Addresses[0]}: {range}); the tester does not follow it.");
    }
}
