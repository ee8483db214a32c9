using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using MatrixTester.Diagnostics.Discovery;
using MatrixTester.Diagnostics.Federation;
using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.TwoWay;

/// <summary>
/// The two-way check against one endpoint whose keys verified: first a request signed with a fresh probe key (the
/// target must fetch that key from us to verify it), then, if it was accepted, a control request with a wrong
/// signature (which a server that checks signatures refuses), then the notary query (second, because a notary fetch would put
/// our key in the target's cache and hide whether the signed request caused a fetch). Requests go only to the pinned
/// endpoint of the diagnosed server. Inbound fetches are reported through <paramref name="observer"/> while they happen.
/// </summary>
internal sealed class TwoWayStage(DiagnosisContext context, IFederationIdentity identity, IProbeKey probe, TwoWayObserver observer)
{
    private const int MaxBodyBytes = 64 * 1024;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    // A fetch that landed on another instance reaches the shared store a moment after the target answers us.
    private static readonly TimeSpan StoreGrace = TimeSpan.FromMilliseconds(800);

    private readonly List<InboundKeyRequest> _inbound = [];
    private string Target => context.ServerName.Text;

    public async Task<TwoWayReport> RunAsync(ResolvedEndpoint endpoint, IReadOnlyDictionary<string, byte[]> targetKeys,
        IReadOnlyCollection<IPAddress> targetAddresses, CancellationToken cancellationToken)
    {
        observer.Waiting(probe);
        using var polling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var poller = PollAsync(polling.Token);
        try
        {
            using var connection = context.TakeConnection(endpoint.EndPoint, endpoint.TlsName);
            var (signed, errorText) = await SendSignedAsync(connection, endpoint, cancellationToken);
            if ((signed.Status is 401 or 403 || signed.TimedOut) && Inbound().Length == 0)
            {
                await Task.Delay(StoreGrace, context.Time, cancellationToken);
                await RefreshAsync(cancellationToken);
            }
            var fetchedBeforeAnswer = Inbound().Length > 0;
            // Only an accepted request needs the control: a refusal is already what a server that checks signatures says.
            var control = TwoWayClassifier.Accepted(signed.Status, signed.Errcode) ? await SendControlAsync(connection, endpoint, cancellationToken) : null;
            // A server that hung on our signed request without reaching us would hang on the notary query the same
            // way, and spend the rest of the budget: what it did is already known.
            var notary = signed.TimedOut && !fetchedBeforeAnswer ? null : await QueryNotaryAsync(connection, endpoint, targetKeys, cancellationToken);
            await RefreshAsync(cancellationToken);
            var inbound = Inbound();
            var unattributed = await probe.UnattributedAsync(cancellationToken);
            var observation = new TwoWayObservation(Target, identity.ServerName, signed, errorText, fetchedBeforeAnswer, control, notary, inbound, targetAddresses);
            var (status, summary, findings) = TwoWayClassifier.Classify(observation);
            return new TwoWayReport(status, probe.KeyId, inbound, notary, signed)
            {
                Summary = summary, Findings = findings, ProbeReused = probe.Reused, ControlRequest = control, UnattributedFetches = unattributed,
            };
        }
        finally
        {
            await polling.CancelAsync();
            await poller;
        }
    }

    private async Task<(SignedRequestReport, string?)> SendSignedAsync(EndpointConnection connection, ResolvedEndpoint endpoint, CancellationToken cancellationToken)
    {
        var uri = DirectoryQuery();
        var authorization = XMatrixSigner.Authorization(probe, "GET", uri, identity.ServerName, Target);
        context.Progress($"Sending {Target} a request signed by {identity.ServerName}");
        var exchange = await SendAsync(connection, endpoint, OutboundRequest.Get(uri, MaxBodyBytes).WithHeader("Authorization", authorization), cancellationToken);
        await RefreshAsync(cancellationToken);
        var (errcode, error) = MatrixError(exchange);
        return (new SignedRequestReport(exchange.Url, exchange.Status, errcode)
        {
            SignedMethod = "GET", SignedUri = uri, Error = exchange.Error, TimedOut = exchange.Failure == ExchangeFailure.Timeout,
        }, error);
    }

    /// <summary>
    /// The same kind of request with a signature by the probe key over another URI: well formed, made with the right
    /// key, and wrong for this request. The target holds our key by now, so a server that checks signatures refuses
    /// it without fetching anything; one that answers everything alike (a stub, a catch-all proxy rule) does not.
    /// </summary>
    private async Task<ControlRequestReport> SendControlAsync(EndpointConnection connection, ResolvedEndpoint endpoint, CancellationToken cancellationToken)
    {
        var uri = DirectoryQuery();
        var authorization = XMatrixSigner.Authorization(probe, "GET", DirectoryQuery(), identity.ServerName, Target);
        context.Progress($"Sending {Target} the same request with a wrong signature, which it must refuse");
        var exchange = await SendAsync(connection, endpoint, OutboundRequest.Get(uri, MaxBodyBytes).WithHeader("Authorization", authorization), cancellationToken);
        var (errcode, _) = MatrixError(exchange);
        var outcome = exchange.Status is 401 or 403 ? "Rejected" : TwoWayClassifier.Accepted(exchange.Status, errcode) ? "Accepted" : "Inconclusive";
        return new ControlRequestReport(exchange.Url, exchange.Status, errcode, outcome) { Error = exchange.Error, TimedOut = exchange.Failure == ExchangeFailure.Timeout };
    }

    /// <summary>A directory query for a random alias nobody has: a server that verified us answers 404 M_NOT_FOUND (spec: query/directory).</summary>
    private string DirectoryQuery()
    {
        var alias = $"#matrixtester-{RandomNumberGenerator.GetHexString(12, lowercase: true)}:{Target}";
        return $"/_matrix/federation/v1/query/directory?room_alias={Uri.EscapeDataString(alias)}";
    }

    private async Task<NotaryReport> QueryNotaryAsync(EndpointConnection connection, ResolvedEndpoint endpoint, IReadOnlyDictionary<string, byte[]> targetKeys, CancellationToken cancellationToken)
    {
        var us = identity.ServerName;
        var body = new JsonObject { ["server_keys"] = new JsonObject { [us] = new JsonObject { [probe.KeyId] = new JsonObject() } } };
        context.Progress($"Asking {Target} to fetch our key as a notary");
        var exchange = await SendAsync(connection, endpoint, OutboundRequest.PostJson("/_matrix/key/v2/query", JsonSerializer.SerializeToUtf8Bytes(body), MaxBodyBytes), cancellationToken);
        var method = "POST";
        if (Unsupported(exchange))
        {
            // Older servers only offer the GET form (spec: "Querying Keys Through Another Server").
            exchange = await SendAsync(connection, endpoint,
                OutboundRequest.Get($"/_matrix/key/v2/query/{Uri.EscapeDataString(us)}/{Uri.EscapeDataString(probe.KeyId)}", MaxBodyBytes), cancellationToken);
            method = "GET";
        }
        var (errcode, _) = MatrixError(exchange);
        if (Unsupported(exchange))
        {
            return new NotaryReport(exchange.Url, method, exchange.Status, errcode, "Unsupported", false, false, "The server does not offer the notary key API.");
        }
        if (exchange.Status != 200)
        {
            var what = exchange.Status is { } s ? $"It answered {s}{(errcode is null ? "" : $" {errcode}")}." : $"The request failed: {exchange.Error}";
            return new NotaryReport(exchange.Url, method, exchange.Status, errcode, "Failed", false, false, what);
        }
        var answer = NotaryAnswer.Read(exchange.Body, us, probe, Target, targetKeys);
        var outcome = !answer.HasProbeKey ? "KeyMissing" : answer.SignedByUs && answer.SignedByTarget ? "Verified" : "BadSignature";
        return new NotaryReport(exchange.Url, method, exchange.Status, errcode, outcome, answer.SignedByUs, answer.SignedByTarget, answer.Detail);
    }

    /// <summary>One request on the endpoint's connection (kept alive between the stage's requests).</summary>
    private async Task<HttpExchange> SendAsync(EndpointConnection connection, ResolvedEndpoint endpoint, OutboundRequest request, CancellationToken cancellationToken)
    {
        // The path without its query: the random alias in it says nothing to a person watching.
        var path = request.PathAndQuery.Split('?')[0];
        using (context.Waiting($"{request.Method} https://{endpoint.HostHeader}{path} ({endpoint.Key})"))
        {
            return (await connection.SendAsync([request], endpoint.HostHeader, () => context.Elapsed, cancellationToken))[0];
        }
    }

    /// <summary>404/405 without a Matrix error of its own, or M_UNRECOGNIZED with any status: the endpoint does not exist.</summary>
    private static bool Unsupported(HttpExchange exchange)
    {
        var errcode = MatrixError(exchange).Errcode;
        return errcode == "M_UNRECOGNIZED" || (exchange.Status is 404 or 405 && errcode is null);
    }

    /// <summary>The errcode and error of a Matrix error body, when the body is one.</summary>
    private static (string? Errcode, string? Error) MatrixError(HttpExchange exchange)
    {
        try
        {
            using var document = JsonDocument.Parse(LoneSurrogates.Replace(exchange.Body).Json, new JsonDocumentOptions { MaxDepth = 16 });
            var root = document.RootElement;
            // Both go into the report and its summary: bounded here, whatever the server sent.
            return root.ValueKind != JsonValueKind.Object ? (null, null) : (Cap(Str(root, "errcode"), 64), Cap(Str(root, "error"), 300));
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    private static string? Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string? Cap(string? text, int max) => text is { } t && t.Length > max ? t[..max] + "…" : text;

    /// <summary>Polls the inbound log on the diagnosis clock and streams each new fetch as it arrives.</summary>
    private async Task PollAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    await RefreshAsync(cancellationToken);
                }
                catch (ProbeUnavailableException)
                {
                    // The store hiccuped: the live lines wait for the next poll; the stage's own reads decide the result.
                }
                await Task.Delay(PollInterval, context.Time, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // The stage is over (or the diagnosis was cancelled): stop polling.
        }
    }

    /// <summary>Reads the inbound log (append-only, oldest first) and streams what is new since the last read.</summary>
    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var all = await probe.InboundAsync(cancellationToken);
        lock (_inbound)
        {
            foreach (var request in all.Skip(_inbound.Count))
            {
                _inbound.Add(request);
                observer.Inbound(request);
            }
        }
    }

    private InboundKeyRequest[] Inbound()
    {
        lock (_inbound)
        {
            return [.. _inbound];
        }
    }
}

/// <summary>What the stage reports while it runs: the signed request is about to leave; a fetch of our keys arrived.</summary>
internal sealed record TwoWayObserver(Action<IProbeKey> Waiting, Action<InboundKeyRequest> Inbound);
