using MatrixTester.Diagnostics.Client;
using MatrixTester.Diagnostics.Federation;
using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.Orchestration;

/// <summary>
/// One published MatrixRTC authorization service, probed as a browser would meet it: four requests pipelined on one
/// connection validated like a browser's (<c>GET /healthz</c>, GET of both token routes, a CORS preflight of
/// <c>/get_token</c>). Only https:// URLs are contacted, through our DNS and the address policy; no redirect is followed.
/// </summary>
internal sealed class RtcServiceProbe(DiagnosisContext context, HttpsFetcher fetcher)
{
    public sealed record Outcome(RtcServiceCheck Check, Finding? Finding, IReadOnlyList<HttpExchange> Requests);

    public async Task<Outcome> CheckAsync(string url, CancellationToken cancellationToken)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(url) > ReportText.Url)
        {
            // Only a URL cut to fit the report is this long: what remains is not what the server published.
            return NotContacted(url, $"The published URL is longer than {ReportText.Url} bytes; no client can use it.", context.ServerName.HostForUri);
        }
        if (!Uri.TryCreate(url, UriKind.Absolute, out var service) || service.Scheme != Uri.UriSchemeHttps || service.Query.Length > 0 || service.Fragment.Length > 0)
        {
            var why = service?.Scheme == Uri.UriSchemeHttp
                ? $"{url} is plain http://: browsers refuse it from an https page (mixed content), and the tester checks only https:// services."
                : $"{url} is not an https:// URL.";
            return NotContacted(url, why, context.ServerName.HostForUri);
        }
        var (address, problem) = await fetcher.ResolveAsync(service.IdnHost, $"addresses of the call authorization service {service.Host}", cancellationToken);
        if (address is null)
        {
            return NotContacted(url, problem ?? $"{service.Host} has no address.", service.Host);
        }
        context.Progress($"Checking the call authorization service at {url}");
        var limit = context.Limits.CallServiceBodyBytes;
        // Each starts before the first await, so the four share one connection and leave in one pipelined write.
        var healthz = Send(OutboundRequest.Get(RtcService.PathUnder(service, RtcService.HealthPath), limit), service, address, cancellationToken);
        var getToken = Send(OutboundRequest.Get(RtcService.PathUnder(service, RtcService.TokenPath), limit), service, address, cancellationToken);
        var legacy = Send(OutboundRequest.Get(RtcService.PathUnder(service, RtcService.LegacyTokenPath), limit), service, address, cancellationToken);
        var preflight = Send(new OutboundRequest("OPTIONS", RtcService.PathUnder(service, RtcService.TokenPath), limit)
            .WithHeader("Origin", RtcService.PreflightOrigin)
            .WithHeader("Access-Control-Request-Method", "POST")
            .WithHeader("Access-Control-Request-Headers", "content-type"), service, address, cancellationToken);
        HttpExchange[] answers = await Task.WhenAll(healthz, getToken, legacy, preflight);
        var (check, finding) = RtcService.Judge(url, answers[0], answers[1], answers[2], answers[3], service.Host);
        return new Outcome(check, finding, answers);
    }

    private Task<HttpExchange> Send(OutboundRequest request, Uri service, System.Net.IPAddress address, CancellationToken cancellationToken) =>
        fetcher.SendAsync(request, new UriBuilder(service) { Path = request.PathAndQuery }.Uri, address, cancellationToken);

    private static Outcome NotContacted(string url, string why, string subject)
    {
        var (check, finding) = RtcService.NotContacted(url, why, subject);
        return new Outcome(check, finding, []);
    }
}
