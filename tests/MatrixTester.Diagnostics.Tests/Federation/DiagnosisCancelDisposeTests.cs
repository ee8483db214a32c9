using MatrixTester.Lab;

namespace MatrixTester.Diagnostics.Tests.Federation;

/// <summary>
/// A visitor who closes the page mid-diagnosis cancels the run: every connection it had open, the well-known fetches
/// on 443 and the speculative connection to the SRV target alike, is closed at once rather than at its timeout.
/// </summary>
public sealed class DiagnosisCancelDisposeTests : LabTest
{
    [Fact]
    public async Task Cancelling_a_diagnosis_mid_handshake_closes_the_well_known_and_speculative_connections()
    {
        var apex = FederationLab.NewAddress();
        var target = FederationLab.NewAddress();
        Lab.Zone.A("example.test", apex.ToString()).A("fed.example.test", target.ToString()).Srv("_matrix-fed._tcp.example.test", "fed.example.test", 8448);
        var wellKnown = new StalledTlsListener();
        var speculative = new StalledTlsListener();
        Lab.Raw(apex, 443, wellKnown.HandleAsync);
        Lab.Raw(target, 8448, speculative.HandleAsync);
        using var visitor = new CancellationTokenSource();
        // Long timeouts: only the cancellation can close these connections within the bound.
        var engine = Lab.Engine(o => (o.ConnectTimeout, o.RequestTimeout, o.OverallDeadline) = (TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2)));

        var run = Task.Run(async () =>
        {
            await foreach (var e in engine.RunAsync("example.test", visitor.Token))
            {
            }
        }, TestContext.Current.CancellationToken);
        await Task.WhenAll(wellKnown.HelloReceived, speculative.HelloReceived).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        await visitor.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.True(await wellKnown.AllClosedWithinAsync(TimeSpan.FromSeconds(5)), "A connection to the well-known host stayed open after the run was cancelled.");
        Assert.True(await speculative.AllClosedWithinAsync(TimeSpan.FromSeconds(5)), "The speculative connection to the SRV target stayed open after the run was cancelled.");
        Assert.True(wellKnown.Accepted >= 1);
        Assert.Equal(1, speculative.Accepted);
    }
}
