using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.Federation;

public sealed partial class EndpointConnection
{
    // One batch of requests on the wire at a time; the open connection and its reader belong to whoever holds it.
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Preconnect? _preconnect;
    private OpenConnection? _current;

    /// <summary>
    /// Start the TCP connect and TLS handshake now, before the requests are known to be wanted (discovery may still
    /// pick another endpoint). Nothing is sent over the connection until <see cref="SendAsync(IReadOnlyList{OutboundRequest}, string, Func{TimeSpan}, CancellationToken)"/>
    /// uses it; <see cref="Dispose"/> closes it if nobody does.
    /// </summary>
    public void StartConnect(CancellationToken cancellationToken)
    {
        if (_preconnect is null && policy.Check(endpoint.Address).Allowed)
        {
            // Its own source: the taker giving up aborts this connect without touching the caller's token.
            var abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            _preconnect = new Preconnect(OpenAsync(abort.Token).AsTask(), abort);
        }
    }

    /// <summary>
    /// Several requests over one TCP+TLS connection, sent together (HTTP/1.1 pipelining), answered in order. A request
    /// the server did not answer because it closed the connection after an earlier response (or after a failed one)
    /// is sent again on a new connection, as RFC 9112 section 9.3.2 allows for idempotent requests; so is one left
    /// unanswered past the request timeout behind an answered one (a server that ignores pipelined requests). When
    /// the first response on a connection does not arrive in time, the requests behind it fail with it: a server that
    /// trickles bytes costs one request timeout, not one per request. Failures are data.
    /// </summary>
    public async Task<IReadOnlyList<HttpExchange>> SendAsync(IReadOnlyList<OutboundRequest> requests, string hostHeader, Func<TimeSpan> elapsed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(elapsed);
        var outgoing = requests.Select(r => new Outgoing(r, hostHeader)).ToArray();
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await RunAsync(() => outgoing, elapsed, null, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Runs requests on this connection, opening it (or taking the speculative or kept-alive one) first. The batch is
    /// fixed by <paramref name="seal"/> once a connection is up, so requests that arrive while it connects leave with
    /// it; <paramref name="deliver"/> hears each result as soon as it is read.
    /// </summary>
    private async Task<HttpExchange[]> RunAsync(Func<IReadOnlyList<Outgoing>> seal, Func<TimeSpan> elapsed, Action<int, HttpExchange>? deliver, CancellationToken cancellationToken)
    {
        IReadOnlyList<Outgoing> requests = [];
        HttpExchange[] results = [];
        void Seal()
        {
            requests = seal();
            results = new HttpExchange[requests.Count];
        }
        void Set(int i, HttpExchange exchange)
        {
            results[i] = exchange;
            deliver?.Invoke(i, exchange);
        }
        HttpExchange Blank(int i) => new()
        {
            Url = ReportText.Cap($"{Scheme}://{requests[i].Host}{requests[i].Request.PathAndQuery}", ReportText.Url), Address = endpoint.Address, Port = endpoint.Port,
            HostHeader = requests[i].Host, Sni = Sni, StartedAt = elapsed(),
        };
        if (policy.Check(endpoint.Address) is { Allowed: false } refused)
        {
            Seal();
            for (var i = 0; i < results.Length; i++)
            {
                Set(i, Blank(i) with { Failure = ExchangeFailure.AddressRefused, Error = $"{Key} is in a non-public range: {refused.Range}. The tester does not connect to it." });
            }
            return results;
        }

        var next = 0;
        var sealedYet = false;
        // A connection that sat idle (speculative, or kept alive since the last batch) may have been closed by a front
        // end meanwhile. If its first request gets no answer because the connection is gone, ask once more on a fresh one.
        var idleRetryLeft = true;
        while (!sealedYet || next < requests.Count)
        {
            var start = time.GetTimestamp();
            Taken taken;
            try
            {
                taken = await TakeConnectionAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                if (!sealedYet)
                {
                    Seal();
                }
                // The connection itself failed: every remaining request fails the same way.
                var (failure, message, finding) = Classify(ex, timedOut: false);
                for (; next < requests.Count; next++)
                {
                    Set(next, Blank(next) with { Failure = failure, Error = ReportText.Cap(message, ReportText.Line), FailureFinding = finding, Duration = time.GetElapsedTime(start), NewConnection = true });
                }
                break;
            }
            if (!sealedYet)
            {
                Seal();
                sealedYet = true;
            }
            var startedAt = elapsed();
            var first = next;
            var keep = false;
            var retryFirst = taken.Idle && idleRetryLeft;
            idleRetryLeft &= !taken.Idle;
            // One request timeout for the whole write: every response of the batch is due within it.
            using var deadline = new CancellationTokenSource(_limits.RequestTimeout, time);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
            try
            {
                await taken.Stream.WriteAsync(Format(requests.Skip(first)), timeout.Token);
                await taken.Stream.FlushAsync(timeout.Token);
                var reusable = true;
                for (; next < requests.Count && reusable; next++)
                {
                    var fresh = next == first && taken.Fresh;
                    var (exchange, canReuse, retry) = await ReadOneAsync(taken.Reader, Blank(next) with { StartedAt = startedAt }, requests[next].Request,
                        next == first, fresh, retryFirst, start, timeout.Token, cancellationToken);
                    if (retry)
                    {
                        break;
                    }
                    Set(next, exchange);
                    start = time.GetTimestamp();
                    reusable = canReuse;
                    if (exchange.Failure == ExchangeFailure.Timeout && next == first)
                    {
                        FailBehindTimeout(requests.Count, next + 1, Blank, Set);
                        next = requests.Count;
                        break;
                    }
                }
                keep = next == requests.Count && reusable;
            }
            catch (Exception ex) when (retryFirst && ex is IOException)
            {
                // Writing to the idle connection failed: it was closed; the loop opens a fresh one.
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Writing failed: the connection is gone before any answer; report it on the first request.
                var (failure, message, finding) = Classify(ex, deadline.IsCancellationRequested);
                Set(next, Blank(next) with { Failure = failure, Error = ReportText.Cap(message, ReportText.Line), FailureFinding = finding, Duration = time.GetElapsedTime(start), NewConnection = next == first && taken.Fresh });
                next++;
            }
            finally
            {
                if (!keep)
                {
                    _current = null;
                    await taken.Stream.DisposeAsync();
                }
            }
        }
        return results;
    }

    /// <summary>The first response on the connection never completed in time: the ones pipelined behind it cannot have either.</summary>
    private void FailBehindTimeout(int count, int from, Func<int, HttpExchange> blank, Action<int, HttpExchange> set)
    {
        for (var i = from; i < count; i++)
        {
            set(i, blank(i) with
            {
                Failure = ExchangeFailure.Timeout,
                Error = $"{Key} did not send a complete response within {_limits.RequestTimeout.TotalSeconds:0.#} s (the response before it on the same connection never completed).",
            });
        }
    }

    private byte[] Format(IEnumerable<Outgoing> requests)
    {
        using var output = new MemoryStream();
        foreach (var (request, host) in requests)
        {
            request.WriteTo(output, host, options.UserAgent);
        }
        return output.ToArray();
    }

    /// <summary>The kept-alive connection, else the speculative one if one was started, else a new one.</summary>
    private async Task<Taken> TakeConnectionAsync(CancellationToken cancellationToken)
    {
        if (_current is { } open)
        {
            return new Taken(open.Stream, open.Reader, Idle: true, Fresh: false);
        }
        var pending = _preconnect;
        _preconnect = null;
        Stream stream;
        if (pending is null)
        {
            stream = await OpenAsync(cancellationToken);
        }
        else
        {
            try
            {
                stream = await pending.Connect.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // We stopped waiting; the field is already null, so Dispose would not see this connect any more.
                pending.Abandon();
                throw;
            }
            pending.Abort.Dispose();
        }
        var opened = new OpenConnection(stream, new Http11Pipeline(stream, _limits));
        _current = opened;
        return new Taken(stream, opened.Reader, Idle: pending is not null, Fresh: true);
    }

    /// <summary>A request and the Host header it is sent with.</summary>
    private readonly record struct Outgoing(OutboundRequest Request, string Host);

    /// <summary>An open connection and its reader (which may hold bytes already received).</summary>
    private sealed record OpenConnection(Stream Stream, Http11Pipeline Reader);

    /// <param name="Idle">It sat unused for a while (speculative or kept alive): the server may have closed it.</param>
    /// <param name="Fresh">Its TCP and TLS handshakes were made for this batch (its first request carries their timings).</param>
    private readonly record struct Taken(Stream Stream, Http11Pipeline Reader, bool Idle, bool Fresh);

    /// <summary>A speculative connect in flight and the source that aborts it.</summary>
    private sealed record Preconnect(Task<Stream> Connect, CancellationTokenSource Abort)
    {
        /// <summary>Nobody will use this connection: abort the connect (OpenAsync then closes the socket), or close it if it already succeeded.</summary>
        public void Abandon()
        {
            Abort.Cancel();
            Connect.ContinueWith(t =>
            {
                if (t.IsCompletedSuccessfully)
                {
                    t.Result.Dispose();
                }
                else
                {
                    _ = t.Exception; // a failed speculative connect is nobody's finding
                }
                Abort.Dispose();
            }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }
    }

    /// <summary>
    /// Reads one response; <c>Retry</c> when the server closed the connection before answering an idempotent request
    /// it had after the first, or before answering the first one on an idle connection (<paramref name="retryFirst"/>).
    /// </summary>
    private async Task<(HttpExchange Exchange, bool Reusable, bool Retry)> ReadOneAsync(Http11Pipeline reader, HttpExchange exchange, OutboundRequest request,
        bool firstOnConnection, bool fresh, bool retryFirst, long start, CancellationToken timeout, CancellationToken cancellationToken)
    {
        try
        {
            var response = await reader.ReadResponseAsync(request.MaxBodyBytes, request.Method == "HEAD", timeout);
            var received = exchange with { Body = response.Body };
            return (exchange with
            {
                BodyLength = response.Body.Length,
                BodyStart = response.Body.Length == 0 ? null : received.BodyPreview(ReportText.BodyStart),
                Status = response.Status,
                ReasonPhrase = ReportText.CapOrNull(response.Reason, ReportText.Name),
                Headers = CollectHeaders(response.Headers),
                Body = response.Body,
                Failure = response.TooLarge ? ExchangeFailure.BodyTooLarge : ExchangeFailure.None,
                Error = response.TooLarge ? $"The response body is larger than the {request.MaxBodyBytes / 1024} KiB limit." : null,
                Duration = time.GetElapsedTime(start),
                NewConnection = fresh,
                ConnectTime = fresh ? Session?.ConnectTime : null,
                TlsTime = fresh ? Session?.HandshakeTime : null,
            }, response.Reusable, false);
        }
        catch (Http11EndedException ended) when (ended.NothingReceived && request.Idempotent && (!firstOnConnection || retryFirst))
        {
            return (exchange, false, true);
        }
        catch (IOException) when (firstOnConnection && retryFirst && request.Idempotent)
        {
            // Reset by a front end that had already dropped the idle connection.
            return (exchange, false, true);
        }
        catch (OperationCanceledException) when (!firstOnConnection && !cancellationToken.IsCancellationRequested && request.Idempotent)
        {
            // Some servers and middleboxes never answer a pipelined request; ask again, first on a new connection.
            return (exchange, false, true);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var (failure, message, finding) = Classify(ex, timedOut: ex is OperationCanceledException);
            return (exchange with { Failure = failure, Error = ReportText.Cap(message, ReportText.Line), FailureFinding = finding, Duration = time.GetElapsedTime(start), NewConnection = fresh }, false, false);
        }
    }
}
