using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Channels;
using MatrixTester.Diagnostics.Client;
using MatrixTester.Diagnostics.Discovery;
using MatrixTester.Diagnostics.DnsLookup;
using MatrixTester.Diagnostics.Federation;
using MatrixTester.Diagnostics.Keys;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Diagnostics.Tls;
using MatrixTester.Diagnostics.TwoWay;
using Microsoft.Extensions.Options;

namespace MatrixTester.Diagnostics;

/// <summary>The seam the site and the CLI use: run one diagnosis and stream its events; the last one is <see cref="CompletedEvent"/>.</summary>
public interface IDiagnosisService
{
    IAsyncEnumerable<DiagnosisEvent> RunAsync(string input, CancellationToken cancellationToken);
}

/// <summary>
/// Orchestrates one diagnosis. Stages run as tasks that write events to a channel the moment they have a result;
/// this iterator only relays them, so a slow address never holds back a fast one. An overall deadline bounds the
/// whole run: when it passes, whatever finished is reported, with a finding that says what did not.
/// </summary>
/// <remarks><paramref name="identity"/>: the site's own Matrix identity for the two-way check; null (the CLI, or a site without Federation:ServerName) reports it as not configured.</remarks>
public sealed class DiagnosisService(IOptions<DiagnosisOptions> options, IDnsResolver dns, TrustAnchors anchors, TimeProvider time, IFederationIdentity? identity = null) : IDiagnosisService
{
    private readonly CertificateInspector _inspector = new(anchors, options.Value);
    private readonly AddressPolicy _policy = AddressPolicy.FromOptions(options.Value);

    public async IAsyncEnumerable<DiagnosisEvent> RunAsync(string input, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var startedAt = time.GetUtcNow();
        if (!ServerName.TryParse(input, out var name, out var error))
        {
            var finding = ServerNameFindings.Invalid.Create($"'{Truncate(input)}' is not a valid server name", error.Message,
                fix: error.Suggestion is { } s ? $"Did you mean {s}? {ServerNameFindings.Invalid.Fix}" : null);
            yield return new ServerNameEvent(Truncate(input), null, null, null, false) { Findings = [finding] };
            yield return new CompletedEvent(ReportBuilder.Invalid(Truncate(input), startedAt, time.GetUtcNow() - startedAt, finding)) { At = time.GetUtcNow() - startedAt };
            yield break;
        }

        var channel = Channel.CreateUnbounded<DiagnosisEvent>(new UnboundedChannelOptions { SingleReader = true });
        var context = new DiagnosisContext(name, options.Value, dns, _policy, anchors, time, channel.Writer);
        var pipeline = Task.Run(() => RunPipelineAsync(context, channel.Writer, cancellationToken), CancellationToken.None);
        await foreach (var e in channel.Reader.ReadAllAsync(cancellationToken))
        {
            yield return e;
        }
        await pipeline;
    }

    private async Task RunPipelineAsync(DiagnosisContext context, ChannelWriter<DiagnosisEvent> writer, CancellationToken cancellationToken)
    {
        var builder = new ReportBuilder(context);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(context.Options.OverallDeadline);
        // Client discovery has its own budget: a slow client file ends with its own finding, never with the
        // federation stages' "timed out" (client files do not change the federation verdict, by time either).
        using var clientBudget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        clientBudget.CancelAfter(context.Options.OverallDeadline);
        using var twoWay = new TwoWayRun(context, identity, cancellationToken);
        try
        {
            context.Emit(new ServerNameEvent(context.ServerName.Text, context.ServerName.Host, context.ServerName.Port, context.ServerName.Kind, true)
            {
                Findings = ServerNameWarnings(context.ServerName),
            });
            builder.Add(ServerNameWarnings(context.ServerName));
            // Client discovery is independent of federation: start it now, collect it at the end.
            var clientTask = RunClientStageAsync(context, builder, clientBudget.Token, cancellationToken);
            var discovery = await ServerDiscovery.RunAsync(context, ValidateForWellKnown, deadline.Token);
            builder.Discovery = discovery;

            var stage = new ConnectionStage(context, _inspector);
            var checks = discovery.Endpoints.Select(e => stage.CheckAsync(e, deadline.Token)).ToList();
            await foreach (var check in Task.WhenEach(checks).WithCancellation(deadline.Token))
            {
                var connection = await check;
                builder.AddConnection(connection);
                context.Emit(new ConnectionEvent(connection) { Findings = connection.Findings });
                twoWay.Offer(connection, discovery);
            }
            builder.Add(ServerKeyComparison.Compare(builder.Connections.Select(c => c.Keys).OfType<ServerKeyResult>()));
            builder.TwoWay = await twoWay.FinishAsync();
            builder.Add(builder.TwoWay.Findings);
            await clientTask;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            builder.TimedOut = true;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // A defect, not a network condition: keep the report coming and say so instead of failing the request.
            builder.Add([DiscoveryFindings.InternalError.Create("The diagnosis stopped because of an internal error", $"{ex.GetType().Name}: {ex.Message}")]);
        }
        finally
        {
            // Federation ended early (deadline, defect): stop the client stage too rather than wait for it.
            await clientBudget.CancelAsync();
            twoWay.Cancel();
            if (builder.TwoWay is null)
            {
                builder.TwoWay = twoWay.Unfinished();
                builder.Add(builder.TwoWay.Findings);
            }
            context.EndSpeculation();
            if (!cancellationToken.IsCancellationRequested)
            {
                var report = builder.Build();
                context.Emit(new CompletedEvent(report));
            }
            writer.TryComplete();
        }
    }

    private async Task RunClientStageAsync(DiagnosisContext context, ReportBuilder builder, CancellationToken budget, CancellationToken cancellationToken)
    {
        await Task.Yield();
        ClientDiscoveryReport client;
        try
        {
            client = await new ClientStage(context, ValidateForWellKnown).RunAsync(budget);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var host = context.ServerName.HostForUri;
            client = new ClientDiscoveryReport(null, null, [], [], null, [],
                [ClientFindings.Timeout.Create($"Client discovery for {host} did not finish within {context.Options.OverallDeadline.TotalSeconds:0} s",
                    $"/.well-known/matrix/client, the client API at its base_url or /.well-known/matrix/support on {host} was still not answered when the time was up. This does not affect federation.", host)]);
        }
        builder.Client = client;
        context.Emit(new ClientDiscoveryEvent(client) { Findings = client.Findings });
    }

    /// <summary>Normal certificate validation, as homeservers apply to .well-known: null when valid, else why not.</summary>
    private string? ValidateForWellKnown(IReadOnlyList<X509Certificate2> chain, string name)
    {
        var result = _inspector.Inspect(chain, name, time.GetUtcNow());
        return result.ValidCertificates ? null : string.Join(" ", result.Findings.Where(f => f.Severity == Severity.Error).Select(f => f.Summary));
    }

    internal static IReadOnlyList<Finding> ServerNameWarnings(ServerName name) =>
        name.Warnings.Select(w => (w.Kind switch
        {
            ServerNameWarningKind.UpperCase => ServerNameFindings.UpperCase,
            ServerNameWarningKind.LongerThan230 => ServerNameFindings.TooLong,
            ServerNameWarningKind.IpLiteral => ServerNameFindings.IpLiteral,
            _ => ServerNameFindings.Unusual,
        }).Create(w.Message, w.Message, name.Text)).ToArray();

    private static string Truncate(string? input) => input is null ? "" : input.Length > 300 ? input[..300] + "…" : input;
}
