using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Channels;
using MatrixTester.Diagnostics.Client;
using MatrixTester.Diagnostics.Discovery;
using MatrixTester.Diagnostics.DnsLookup;
using MatrixTester.Diagnostics.Federation;
using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Keys;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Diagnostics.RtcToken;
using MatrixTester.Diagnostics.Tls;
using MatrixTester.Diagnostics.TwoWay;
using Microsoft.Extensions.Options;

namespace MatrixTester.Diagnostics.Orchestration;

/// <summary>The seam the site and the CLI use: run one diagnosis and stream its events; the last one is <see cref="CompletedEvent"/>.</summary>
public interface IDiagnosisService
{
    IAsyncEnumerable<DiagnosisEvent> RunAsync(string input, CancellationToken cancellationToken);
}

/// <summary>
/// Orchestrates one diagnosis. Stages run as tasks that hand their results up the moment they have them, and this
/// class alone turns results into events on a channel; the iterator only relays them, so a slow address never holds
/// back a fast one. An overall deadline bounds the whole run: when it passes, whatever finished is reported, with a
/// finding that says what did not.
/// </summary>
/// <remarks>
/// <paramref name="identity"/>: the site's own Matrix identity for the two-way check; <paramref name="openId"/>: the
/// site as the homeserver of the call token check's test users. Null (the CLI, or a site without
/// Federation:ServerName) reports each as not configured.
/// </remarks>
public sealed class DiagnosisService(IOptions<DiagnosisOptions> options, IDnsResolver dns, TrustAnchors anchors, TimeProvider time,
    IFederationIdentity? identity = null, IOpenIdIssuer? openId = null) : IDiagnosisService
{
    /// <summary>How much of an invalid input the report quotes back.</summary>
    private const int MaxQuotedInputLength = 300;

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
        var writer = channel.Writer;
        var hooks = new DiagnosisHooks(
            Progress: (c, message) => Emit(writer, c, new ProgressEvent(message)),
            Waiting: (c, mark) => Emit(writer, c, new WaitEvent(mark.Id, mark.For, mark.Done)),
            DnsAnswered: (c, answer, purpose) => Emit(writer, c, new DnsQueryEvent(answer, purpose)),
            ResolveHost: HostAddresses.ResolveForFetchAsync);
        var context = new DiagnosisContext(name, options.Value, dns, _policy, anchors, time, hooks);
        var pipeline = Task.Run(() => RunPipelineAsync(context, writer, cancellationToken), CancellationToken.None);
        await foreach (var e in channel.Reader.ReadAllAsync(cancellationToken))
        {
            yield return e;
        }
        await pipeline;
    }

    private async Task RunPipelineAsync(DiagnosisContext context, ChannelWriter<DiagnosisEvent> writer, CancellationToken cancellationToken)
    {
        var builder = new ReportBuilder(context);
        using var deadlineTimer = new CancellationTokenSource(context.Options.OverallDeadline, context.Time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadlineTimer.Token);
        // Client discovery has its own budget: a slow client file ends with its own finding, never with the
        // federation stages' "timed out" (client files do not change the federation verdict, by time either).
        using var clientTimer = new CancellationTokenSource(context.Options.OverallDeadline, context.Time);
        using var clientBudget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, clientTimer.Token);
        using var twoWay = new TwoWayRun(context, identity, e => Emit(writer, context, e), cancellationToken);
        using var tokenCheck = new TokenCheckRun(context, openId, ValidateForWellKnown, e => Emit(writer, context, e), cancellationToken);
        var clientSide = new ClientSideRun(context, ValidateForWellKnown, tokenCheck, e => Emit(writer, context, e));
        try
        {
            Emit(writer, context, new ServerNameEvent(context.ServerName.Text, context.ServerName.Host, context.ServerName.Port, context.ServerName.Kind, true)
            {
                Findings = ServerNameWarnings(context.ServerName),
            });
            builder.Add(ServerNameWarnings(context.ServerName));
            // Client discovery (then calls and login) is independent of federation: start it now, collect it at the end.
            var clientTask = clientSide.RunAsync(builder, clientBudget.Token, cancellationToken);
            var checks = await DiscoverAsync(context, writer, builder, clientSide, deadline.Token);
            await foreach (var check in Task.WhenEach(checks).WithCancellation(deadline.Token))
            {
                var connection = ReportTrimming.WithoutBodies(await check);
                builder.AddConnection(connection);
                Emit(writer, context, new ConnectionEvent(connection) { Findings = connection.Findings });
                twoWay.Offer(connection, builder.Discovery!);
            }
            builder.Add(ServerKeyComparison.Compare(builder.Connections.Select(c => c.Keys).OfType<ServerKeyResult>()));
            builder.TwoWay = await twoWay.FinishAsync();
            builder.Add(builder.TwoWay.Findings);
            await clientTask;
            if (builder.MatrixRtc is { } calls)
            {
                // The token check's findings count for the calls verdict too.
                var tokens = await tokenCheck.FinishAsync();
                builder.MatrixRtc = calls.WithTokenCheck(tokens);
                builder.Add(tokens.Findings);
            }
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
            tokenCheck.Cancel();
            if (builder.TwoWay is null)
            {
                builder.TwoWay = twoWay.Unfinished();
                builder.Add(builder.TwoWay.Findings);
            }
            if (builder.MatrixRtc is { TokenCheck: null } unfinished)
            {
                builder.MatrixRtc = unfinished.WithTokenCheck(tokenCheck.Unfinished());
            }
            context.CloseConnections();
            if (!cancellationToken.IsCancellationRequested)
            {
                var report = builder.Build();
                Emit(writer, context, new CompletedEvent(report));
            }
            writer.TryComplete();
        }
    }

    /// <summary>
    /// Discovery, streaming each step as it completes, then one connection check per endpoint it chose. Speculation
    /// ends here, and only here: once every check has taken its endpoint's speculative connection (each takes it
    /// before its first await), or when discovery fails, the connections nobody took are closed.
    /// </summary>
    private async Task<List<Task<ConnectionReport>>> DiscoverAsync(DiagnosisContext context, ChannelWriter<DiagnosisEvent> writer, ReportBuilder builder,
        ClientSideRun clientSide, CancellationToken cancellationToken)
    {
        try
        {
            var observer = new DiscoveryObserver(
                WellKnown: wellKnown => Emit(writer, context, new WellKnownEvent(ReportTrimming.WithoutBodies(wellKnown)) { Findings = wellKnown.Findings }),
                Srv: srv => Emit(writer, context, new SrvEvent(srv) { Findings = srv.Findings }));
            // The bodies received are read by the checks only: events and the report keep their capped text.
            var discovery = ReportTrimming.WithoutBodies(await ServerDiscovery.RunAsync(context, ValidateForWellKnown, observer, cancellationToken));
            builder.Discovery = discovery;
            Emit(writer, context, new EndpointsEvent(discovery) { Findings = discovery.Findings.Where(IsEndpointFinding).ToArray() });
            var stage = new ConnectionStage(context, _inspector);
            return discovery.Endpoints.Select(e => stage.CheckAsync(e, cancellationToken)).ToList();
        }
        finally
        {
            // No well-known request (IP literal, explicit port) or discovery ended early: the client files go ahead.
            context.WellKnownQueued();
            context.EndSpeculation();
            clientSide.DiscoveryDone(builder.Discovery);
        }
    }

    /// <summary>The discovery findings the endpoints event carries: those about the chosen addresses themselves.</summary>
    private static bool IsEndpointFinding(Finding finding) => finding.Id == DnsFindings.AddressRefused.Id || finding.Id == DiscoveryFindings.NoEndpoints.Id;

    private static void Emit(ChannelWriter<DiagnosisEvent> writer, DiagnosisContext context, DiagnosisEvent e) => writer.TryWrite(e with { At = context.Elapsed });

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

    private static string Truncate(string? input) => input is null ? "" : input.Length > MaxQuotedInputLength ? input[..MaxQuotedInputLength] + "…" : input;
}
