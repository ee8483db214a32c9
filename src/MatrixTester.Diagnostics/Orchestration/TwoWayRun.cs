using MatrixTester.Diagnostics.Discovery;
using MatrixTester.Diagnostics.Federation;
using MatrixTester.Diagnostics.Keys;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Diagnostics.TwoWay;

namespace MatrixTester.Diagnostics.Orchestration;

/// <summary>
/// The two-way check inside one diagnosis: started by the first connection whose keys verified, run on its own budget
/// (it ends before the overall deadline, so a slow target never turns the federation result into "timed out"), and
/// collected at the end. Without an identity it reports "not configured". Its events go to <paramref name="emit"/>.
/// </summary>
internal sealed class TwoWayRun(DiagnosisContext context, IFederationIdentity? identity, Action<DiagnosisEvent> emit, CancellationToken cancellationToken) : IDisposable
{
    // Leave the rest of the diagnosis this much of the overall deadline to finish and report.
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(1);
    private readonly CancellationTokenSource _stop = new();
    private CancellationTokenSource? _timer;
    private CancellationTokenSource? _budget;
    private Task<TwoWayReport>? _task;

    /// <summary>Starts the check on <paramref name="connection"/> if it is the first whose keys verified.</summary>
    public void Offer(ConnectionReport connection, DiscoveryResult discovery)
    {
        if (_task is not null || identity is null || connection.Keys is not { IsKeyResponse: true, HasValidSelfSignature: true } keys)
        {
            return;
        }
        var remaining = context.Options.OverallDeadline - context.Elapsed - Margin;
        var budget = remaining < context.Options.TwoWayTimeout ? (remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero) : context.Options.TwoWayTimeout;
        _timer = new CancellationTokenSource(budget, context.Time);
        _budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token, _timer.Token);
        var targetKeys = keys.VerifyKeys.Values
            .Where(k => k.Ed25519?.MatchingSignature == true && UnpaddedBase64.TryDecode(k.KeyBase64, out _))
            .ToDictionary(k => k.KeyId, k => { UnpaddedBase64.TryDecode(k.KeyBase64, out var b); return b!; });
        var addresses = discovery.Endpoints.Select(e => e.Address).Distinct().ToArray();
        var token = _budget.Token;
        _task = Task.Run(() => RunAsync(connection.Endpoint, targetKeys, addresses, token), CancellationToken.None);
    }

    /// <summary>The check's report (already streamed as a <see cref="TwoWayEvent"/>).</summary>
    public async Task<TwoWayReport> FinishAsync()
    {
        var report = identity is null ? TwoWayReport.NotConfigured
            : _task is null ? TwoWayReport.Skipped("Skipped: no address served signing keys that verify, so there was nothing to check a signed request against")
            : await _task;
        emit(new TwoWayEvent(report) { Findings = report.Findings });
        return report;
    }

    /// <summary>What the report says when the diagnosis ended (deadline, defect) before the check was collected.</summary>
    public TwoWayReport Unfinished() => identity is null ? TwoWayReport.NotConfigured
        : TwoWayReport.Skipped("Skipped: the diagnosis ended before the two-way check finished");

    /// <summary>The diagnosis is ending early: stop the check.</summary>
    public void Cancel() => _stop.Cancel();

    private async Task<TwoWayReport> RunAsync(ResolvedEndpoint endpoint, IReadOnlyDictionary<string, byte[]> targetKeys, IReadOnlyCollection<System.Net.IPAddress> addresses,
        CancellationToken budget)
    {
        IProbeKey? probe = null;
        var observer = new TwoWayObserver(
            Waiting: probe => emit(new TwoWayWaitingEvent(context.ServerName.Text, probe.KeyId) { Reused = probe.Reused }),
            Inbound: request => emit(new TwoWayInboundEvent(request)));
        try
        {
            probe = await identity!.StartProbeAsync(context.ServerName.Text, addresses, budget);
            try
            {
                return await new TwoWayStage(context, identity, probe, observer).RunAsync(endpoint, targetKeys, addresses, budget);
            }
            finally
            {
                // Not bound to the budget (it may be spent): the release is one small store write, bounded by the store's own timeouts.
                await probe.ReleaseAsync(CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return TwoWayReport.Skipped($"Skipped: the two-way check did not finish within its {context.Options.TwoWayTimeout.TotalSeconds:0} s budget") with { ProbeKeyId = probe?.KeyId };
        }
        catch (ProbeUnavailableException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The message says why, in words for the page ("all 64 probes are in use; the next one frees up within 40 seconds").
            return TwoWayReport.Skipped($"Skipped: {ex.Message}") with { ProbeKeyId = probe?.KeyId };
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The site's probe store failed (e.g. a database outage): the federation result stands without it.
            return TwoWayReport.Skipped($"Skipped: the two-way check failed on the tester's side ({ex.GetType().Name}: {ex.Message})") with { ProbeKeyId = probe?.KeyId };
        }
    }

    public void Dispose()
    {
        _budget?.Dispose();
        _timer?.Dispose();
        _stop.Dispose();
    }
}
