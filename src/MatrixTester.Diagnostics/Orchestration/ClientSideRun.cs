using System.Security.Cryptography.X509Certificates;
using MatrixTester.Diagnostics.Client;
using MatrixTester.Diagnostics.Discovery;
using MatrixTester.Diagnostics.Federation;
using MatrixTester.Diagnostics.Reports;

namespace MatrixTester.Diagnostics.Orchestration;

/// <summary>
/// Everything a client sees, beside federation: client discovery first (it starts once the server well-known request
/// is queued, and shares its connection), then, on the client API it found, the calls and login checks side by side.
/// Each streams its event as it finishes. All of it runs on the client budget, so a slow client side ends with its own
/// finding and never turns the federation result into "timed out". The call token check starts as soon as the calls
/// check has named the authorization services (it has a budget of its own and is collected at the end).
/// </summary>
internal sealed class ClientSideRun(DiagnosisContext context, Func<IReadOnlyList<X509Certificate2>, string, string?> validateCertificate, TokenCheckRun tokenCheck,
    Action<DiagnosisEvent> emit)
{
    private readonly TaskCompletionSource<DiscoveryResult?> _discovery = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Discovery finished (null: it failed or ended early); the calls check's userinfo probe waits for it.</summary>
    public void DiscoveryDone(DiscoveryResult? discovery) => _discovery.TrySetResult(discovery);

    public async Task RunAsync(ReportBuilder builder, CancellationToken budget, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var fetcher = new HttpsFetcher(context, validateCertificate);
        ClientStage.Result client;
        try
        {
            await context.WellKnownRequested.WaitAsync(budget);
            client = await new ClientStage(context, validateCertificate).RunAsync(budget);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var host = context.ServerName.HostForUri;
            client = ClientStage.Result.Without(new ClientDiscoveryReport(null, null, [], [], null, [],
                [ClientFindings.Timeout.Create($"Client discovery for {host} did not finish within {context.Options.OverallDeadline.TotalSeconds:0} s",
                    $"/.well-known/matrix/client, the client API at its base_url or /.well-known/matrix/support on {host} was still not answered when the time was up. This does not affect federation.", host)]));
        }
        var report = client.Report with { Requests = ReportTrimming.WithoutBodies(client.Report.Requests) };
        builder.Client = report;
        emit(new ClientDiscoveryEvent(report) { Findings = report.Findings });
        if (client.BaseUri is null)
        {
            // No client API answered: clients cannot get as far as calls or login, so neither is checked.
            return;
        }
        await Task.WhenAll(CallsAsync(client, fetcher, builder, budget, cancellationToken), LoginAsync(client, fetcher, builder, budget, cancellationToken));
    }

    private async Task CallsAsync(ClientStage.Result client, HttpsFetcher fetcher, ReportBuilder builder, CancellationToken budget, CancellationToken cancellationToken)
    {
        try
        {
            var rtc = await new CallsStage(context, fetcher).RunAsync(client, _discovery.Task, budget);
            tokenCheck.Offer(rtc.ServiceUrls);
            rtc = rtc with { Requests = ReportTrimming.WithoutBodies(rtc.Requests) };
            builder.MatrixRtc = rtc;
            emit(new MatrixRtcEvent(rtc) { Findings = rtc.Findings });
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Out of time: the report says calls were not checked (null) rather than guess a verdict, and why.
            builder.Add([OutOfTime(RtcFindings.Timeout)]);
        }
    }

    private async Task LoginAsync(ClientStage.Result client, HttpsFetcher fetcher, ReportBuilder builder, CancellationToken budget, CancellationToken cancellationToken)
    {
        try
        {
            var auth = await new LoginStage(context, fetcher).RunAsync(client, budget);
            auth = auth with { Requests = ReportTrimming.WithoutBodies(auth.Requests) };
            builder.Auth = auth;
            emit(new AuthEvent(auth) { Findings = auth.Findings });
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // As for calls: not checked, and why.
            builder.Add([OutOfTime(AuthFindings.Timeout)]);
        }
    }

    /// <summary>A finding of the check's own verdict: client discovery itself finished, so it is not "not finished".</summary>
    private Findings.Finding OutOfTime(Findings.FindingDefinition definition)
    {
        var host = context.ServerName.HostForUri;
        var seconds = context.Options.OverallDeadline.TotalSeconds.ToString("0", System.Globalization.CultureInfo.InvariantCulture);
        return definition.Create(Findings.Phrase.Of($"{definition.Id}.Summary", ("host", host), ("seconds", seconds)), new Findings.Phrase($"{definition.Id}.Detail"), host);
    }
}
