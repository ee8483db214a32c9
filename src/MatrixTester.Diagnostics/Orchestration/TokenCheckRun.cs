using System.Security.Cryptography.X509Certificates;
using MatrixTester.Diagnostics.Federation;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Diagnostics.RtcToken;

namespace MatrixTester.Diagnostics.Orchestration;

/// <summary>
/// The call token check inside one diagnosis: started once the published authorization services are known, run on
/// its own budget (ending before the overall deadline), collected at the end. Without an issuer it reports "not
/// configured". Its events go to <paramref name="emit"/>.
/// </summary>
internal sealed class TokenCheckRun(DiagnosisContext context, IOpenIdIssuer? issuer, Func<IReadOnlyList<X509Certificate2>, string, string?> validate,
    Action<DiagnosisEvent> emit, CancellationToken cancellationToken) : IDisposable
{
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(1);
    private readonly CancellationTokenSource _stop = new();
    private CancellationTokenSource? _timer;
    private CancellationTokenSource? _budget;
    private Task<TokenCheckReport>? _task;
    private bool _offered;

    /// <summary>Starts the check on the services the target published (none: nothing to check).</summary>
    public void Offer(IReadOnlyList<Uri> services)
    {
        _offered = true;
        if (_task is not null || issuer is null || services.Count == 0)
        {
            return;
        }
        var remaining = context.Options.OverallDeadline - context.Elapsed - Margin;
        var budget = remaining < context.Options.TokenCheckTimeout ? (remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero) : context.Options.TokenCheckTimeout;
        _timer = new CancellationTokenSource(budget, context.Time);
        _budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token, _timer.Token);
        var token = _budget.Token;
        _task = Task.Run(() => RunAsync(services, token), CancellationToken.None);
    }

    /// <summary>The check's report (already streamed as a <see cref="TokenCheckEvent"/>).</summary>
    public async Task<TokenCheckReport> FinishAsync()
    {
        var report = issuer is null ? TokenCheckReport.NotConfigured
            : _task is not null ? await _task
            : _offered ? TokenCheckReport.Skipped("Skipped: the server publishes no call authorization service (a LiveKit transport)")
            : TokenCheckReport.Skipped("Skipped: client discovery did not finish, so the call authorization service is not known");
        emit(new TokenCheckEvent(report) { Findings = report.Findings });
        return report;
    }

    /// <summary>What the report says when the diagnosis ended before the check was collected.</summary>
    public TokenCheckReport Unfinished() => issuer is null ? TokenCheckReport.NotConfigured
        : TokenCheckReport.Skipped("Skipped: the diagnosis ended before the call token check finished");

    public void Cancel() => _stop.Cancel();

    private async Task<TokenCheckReport> RunAsync(IReadOnlyList<Uri> services, CancellationToken budget)
    {
        IOpenIdProbe? probe = null;
        var observer = new TokenCheckObserver(
            Waiting: (url, user) => emit(new TokenCheckWaitingEvent(url, user)),
            Callback: callback => emit(new TokenCheckCallbackEvent(callback)));
        try
        {
            probe = await issuer!.StartAsync(context.ServerName.Text, services.Count, budget);
            return await new TokenCheckStage(context, issuer, probe, observer, validate).RunAsync(services, budget);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return TokenCheckReport.Skipped($"Skipped: the call token check did not finish within its {context.Options.TokenCheckTimeout.TotalSeconds:0} s budget");
        }
        catch (TokenCheckUnavailableException ex) when (!cancellationToken.IsCancellationRequested)
        {
            return TokenCheckReport.Skipped($"Skipped: {ex.Message}");
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The site's store failed (e.g. a database outage): the rest of the diagnosis stands without the check.
            return TokenCheckReport.Skipped($"Skipped: the call token check failed on the tester's side ({ex.GetType().Name}: {ex.Message})");
        }
        finally
        {
            if (probe is not null)
            {
                // Not bound to the budget (it may be spent): one small store write, bounded by the store's own timeouts.
                await probe.ReleaseAsync(CancellationToken.None);
            }
        }
    }

    public void Dispose()
    {
        _budget?.Dispose();
        _timer?.Dispose();
        _stop.Dispose();
    }
}
