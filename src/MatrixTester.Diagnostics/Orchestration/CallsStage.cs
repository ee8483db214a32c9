using System.Net;
using MatrixTester.Diagnostics.Client;
using MatrixTester.Diagnostics.Discovery;
using MatrixTester.Diagnostics.Federation;
using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Reports;

namespace MatrixTester.Diagnostics.Orchestration;

/// <summary>
/// Calls (MatrixRTC) readiness, as clients find and use the call infrastructure: the transports endpoint on the client
/// API (asked without a token, on the unstable and the proposed stable path) and the client well-known's older
/// rtc_foci; then, for what they publish, each authorization service (<see cref="RtcServiceProbe"/>), each SFU URL's
/// form and name, the homeserver features calls need and the federation route the services verify users through.
/// Only URLs the target published are contacted, each through the address policy; a few requests per service.
/// </summary>
internal sealed class CallsStage(DiagnosisContext context, HttpsFetcher fetcher)
{
    /// <summary>Authorization services and SFU URLs checked per diagnosis (a deployment publishes one or two).</summary>
    public const int MaxServices = 4;

    private string Subject => context.ServerName.HostForUri;

    public async Task<MatrixRtcReport> RunAsync(ClientStage.Result client, Task<DiscoveryResult?> discovery, CancellationToken cancellationToken)
    {
        var baseUri = client.BaseUri ?? throw new ArgumentException("The calls check needs a client API that answered.", nameof(client));
        var requests = new List<HttpExchange>();
        var findings = new List<Finding>();
        var sent = client.Probes ?? ClientApiProbes.Start(fetcher, context.Limits.ClientBodyBytes, baseUri, client.BaseAddress!, cancellationToken);
        var probed = (await Task.WhenAll(sent.Transports).WaitAsync(cancellationToken)).Select(Classify).ToArray();
        requests.AddRange(probed.Select(p => p.Exchange));
        var probes = probed.Select(p => p.Probe).ToArray();
        IReadOnlyList<RtcTransport> transports = [.. probed.SelectMany(p => p.Transports), .. client.WellKnownFoci];
        var byEndpoint = RtcReadiness.OfferedByEndpoint(probes, transports);
        var offered = byEndpoint || client.WellKnownFoci.Count > 0;
        var prerequisites = client.Versions is { } v ? new RtcPrerequisites(v.Has(ClientVersions.DelayedEvents), v.RoomSummary, v.StateAfter, UserinfoOutcome.NotChecked) : null;
        if (!offered)
        {
            findings.Add(RtcFindings.NotOffered.Create(new Phrase("rtc.not_offered.Summary"), null, Subject, rawDetail:
                $"{Asked(probes)} /.well-known/matrix/client has no {RtcDocuments.WellKnownFociKey}. Element X and Element Web cannot start calls with this server's users."));
            return Report(MatrixRtcStatus.NotOffered, false, transports, probes, [], prerequisites, requests, findings);
        }
        if (!byEndpoint)
        {
            findings.Add(RtcFindings.LegacyFociOnly.Create(new Phrase("rtc.legacy_foci_only.Summary"), null, Subject, rawDetail:
                $"/.well-known/matrix/client lists {client.WellKnownFoci.Count} transport{(client.WellKnownFoci.Count == 1 ? "" : "s")} in {RtcDocuments.WellKnownFociKey}. {Asked(probes)}"));
        }

        var serviceTask = CheckServicesAsync(transports, cancellationToken);
        var sfuTask = CheckSfuUrlsAsync(transports, cancellationToken);
        var userinfoTask = prerequisites is null ? Task.FromResult<(RtcPrerequisites?, HttpExchange?, Finding?)>((null, null, null))
            : CheckUserinfoAsync(prerequisites, discovery, cancellationToken);
        var services = await serviceTask;
        var sfuFindings = await sfuTask;
        var (withUserinfo, userinfoExchange, userinfoFinding) = await userinfoTask;
        requests.AddRange(services.SelectMany(s => s.Requests));
        findings.AddRange(services.Select(s => s.Finding).OfType<Finding>());
        findings.AddRange(sfuFindings);
        if (userinfoExchange is not null)
        {
            requests.Add(userinfoExchange);
        }
        if (userinfoFinding is not null)
        {
            findings.Add(userinfoFinding);
        }
        prerequisites = withUserinfo ?? prerequisites;
        if (prerequisites is { DelayedEvents: false })
        {
            findings.Add(RtcFindings.DelayedEventsMissing.Create(new Phrase("rtc.delayed_events_missing.Summary"), null, Subject, rawDetail:
                $"{baseUri.AbsoluteUri.TrimEnd('/')}/_matrix/client/versions does not switch on {ClientVersions.DelayedEvents} in unstable_features. Element Call relies on delayed events to end the call membership of someone whose connection dropped."));
        }
        var status = RtcReadiness.Decide(true, findings);
        return Report(status, byEndpoint, transports, probes, [.. services.Select(s => s.Check)], prerequisites, requests, findings);
    }

    /// <summary>What each transports path answered, by path (the full URLs are in the report's requests).</summary>
    private static string Asked(IReadOnlyList<TransportsEndpointProbe> probes) =>
        string.Join(" ", probes.Select(p => $"The transports endpoint{(p.Url.Contains("/unstable/", StringComparison.Ordinal) ? "" : " (proposed stable path)")}: {p.Detail}"));

    private static MatrixRtcReport Report(MatrixRtcStatus status, bool byEndpoint, IReadOnlyList<RtcTransport> transports, IReadOnlyList<TransportsEndpointProbe> probes,
        IReadOnlyList<RtcServiceCheck> services, RtcPrerequisites? prerequisites, IReadOnlyList<HttpExchange> requests, IReadOnlyList<Finding> findings) =>
        new(status, transports, probes, services, prerequisites)
        {
            Summary = ReportText.Cap(RtcReadiness.Summary(status, byEndpoint, probes, services), ReportText.Paragraph),
            Requests = requests,
            Findings = findings,
        };

    private static (TransportsEndpointProbe Probe, IReadOnlyList<RtcTransport> Transports, HttpExchange Exchange) Classify(HttpExchange exchange)
    {
        var (probe, transports) = TransportsEndpoint.Classify(exchange);
        return (probe, transports, exchange);
    }

    private async Task<IReadOnlyList<RtcServiceProbe.Outcome>> CheckServicesAsync(IReadOnlyList<RtcTransport> transports, CancellationToken cancellationToken)
    {
        var urls = transports.Select(t => t.ServiceUrl).OfType<string>().Distinct(StringComparer.Ordinal).Take(MaxServices);
        var probe = new RtcServiceProbe(context, fetcher);
        return await Task.WhenAll(urls.Select(url => probe.CheckAsync(url, cancellationToken)));
    }

    /// <summary>The SFU URLs transports publish directly (type m.livekit): wss:// on a name that resolves to a public address.</summary>
    private async Task<IReadOnlyList<Finding>> CheckSfuUrlsAsync(IReadOnlyList<RtcTransport> transports, CancellationToken cancellationToken)
    {
        var findings = new List<Finding>();
        foreach (var url in transports.Select(t => t.SfuUrl).OfType<string>().Distinct(StringComparer.Ordinal).Take(MaxServices))
        {
            var problem = SfuUrl.FormProblem(url);
            if (problem is null)
            {
                var uri = new Uri(url);
                (_, problem) = await fetcher.ResolveAsync(uri.IdnHost, $"addresses of the SFU {uri.Host}", cancellationToken);
            }
            if (problem is not null)
            {
                findings.Add(RtcFindings.SfuUrlNotPublic.Create(Phrase.Of("rtc.sfu_url_not_public.Summary", ("url", url)), null, Subject, rawDetail: problem));
            }
        }
        return findings;
    }

    /// <summary>The userinfo route on the first address other servers would use (the one the authorization service reaches too).</summary>
    private async Task<(RtcPrerequisites?, HttpExchange?, Finding?)> CheckUserinfoAsync(RtcPrerequisites prerequisites, Task<DiscoveryResult?> discovery, CancellationToken cancellationToken)
    {
        var endpoint = (await discovery.WaitAsync(cancellationToken))?.Endpoints.FirstOrDefault(e => context.Policy.Check(e.Address).Allowed);
        if (endpoint is null)
        {
            return (prerequisites with { OpenIdUserinfo = UserinfoOutcome.Unknown }, null, null);
        }
        // The URL carries the address and port dialled; the TLS name and Host header are discovery's, as for federation.
        var url = new UriBuilder(Uri.UriSchemeHttps, endpoint.Address.ToString(), endpoint.Port, OpenIdUserinfo.Path).Uri;
        var exchange = await fetcher.SendAsync(OutboundRequest.Get(OpenIdUserinfo.Path, context.Limits.ClientBodyBytes), url, endpoint.Address, cancellationToken,
            endpoint.HostHeader, endpoint.TlsName);
        // Named as federation requests are: by the Host header sent (the address is beside it in the report).
        exchange = exchange with { Url = ReportText.Cap($"https://{endpoint.HostHeader}{OpenIdUserinfo.Path}", ReportText.Url) };
        var (outcome, errcode, detail) = OpenIdUserinfo.Classify(exchange);
        var finding = outcome == UserinfoOutcome.NotRouted
            ? RtcFindings.UserinfoNotRouted.Create(new Phrase("rtc.userinfo_not_routed.Summary"), null, endpoint.Key, rawDetail: $"GET {exchange.Url} without a token: {detail}")
            : null;
        var updated = prerequisites with { OpenIdUserinfo = outcome, UserinfoUrl = exchange.Url, UserinfoStatus = exchange.Status, UserinfoErrcode = errcode };
        return (updated, exchange, finding);
    }
}
