using System.Net;
using System.Security.Cryptography.X509Certificates;
using MatrixTester.Diagnostics.Federation;
using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.Discovery;

/// <summary>
/// Fetches <c>https://&lt;hostname&gt;/.well-known/matrix/server</c> (spec, resolving server names, step 3) through one
/// address of the host, with normal certificate validation and redirects followed, and says what it amounts to.
/// </summary>
internal sealed class WellKnownClient(DiagnosisContext context, Func<IReadOnlyList<X509Certificate2>, string, string?> validateCertificate)
{
    private readonly HttpsFetcher _fetcher = new(context, validateCertificate);

    public async Task<WellKnownAttempt> FetchAsync(string host, IPAddress address, CancellationToken cancellationToken)
    {
        var attempt = await FetchOnceAsync(host, address, cancellationToken);
        return attempt with { Problem = ReportText.CapOrNull(attempt.Problem, ReportText.Line) };
    }

    private async Task<WellKnownAttempt> FetchOnceAsync(string host, IPAddress address, CancellationToken cancellationToken)
    {
        var fetch = await _fetcher.GetAsync(new Uri($"https://{host}/.well-known/matrix/server"), address, context.Limits.WellKnownBodyBytes, cancellationToken,
            followHttp: true, queued: context.WellKnownQueued);
        var last = fetch.Last;
        switch (fetch.Problem)
        {
            case FetchProblem.Transport:
                var outcome = last.Failure switch
                {
                    ExchangeFailure.AddressRefused => WellKnownOutcome.NoAddress,
                    ExchangeFailure.CertificateRejected => WellKnownOutcome.CertificateInvalid,
                    ExchangeFailure.ConnectTimeout or ExchangeFailure.Timeout => WellKnownOutcome.Timeout,
                    ExchangeFailure.BodyTooLarge => WellKnownOutcome.TooLarge,
                    _ => WellKnownOutcome.ConnectionFailed,
                };
                var detail = outcome == WellKnownOutcome.TooLarge
                    ? $"{last.Url} sent a body of {WellKnownParser.MaxBodyBytes:N0} bytes or more; Synapse stops reading at {WellKnownParser.MaxBodyBytes:N0} bytes (50 KiB) and treats the file as missing."
                    : fetch.Detail;
                return new WellKnownAttempt(address, outcome, null, fetch.Requests, detail);
            case FetchProblem.BadRedirect:
                return new WellKnownAttempt(address, WellKnownOutcome.BadRedirect, null, fetch.Requests, fetch.Detail);
            case FetchProblem.RedirectLoop:
                return new WellKnownAttempt(address, WellKnownOutcome.RedirectLoop, null, fetch.Requests, fetch.Detail);
            case FetchProblem.TooManyRedirects:
                return new WellKnownAttempt(address, WellKnownOutcome.TooManyRedirects, null, fetch.Requests, fetch.Detail);
        }
        if (last.Status == 404)
        {
            return new WellKnownAttempt(address, WellKnownOutcome.NotFound, null, fetch.Requests, null);
        }
        if (last.Status != 200)
        {
            return new WellKnownAttempt(address, WellKnownOutcome.HttpError, null, fetch.Requests,
                $"{last.Url} answered {last.Status} {last.ReasonPhrase}. Body starts: {last.BodyPreview(120)}");
        }
        var (parsed, mServer, problem) = WellKnownParser.ParseBody(last.Body);
        return new WellKnownAttempt(address, parsed, mServer, fetch.Requests, problem);
    }
}
