using System.Net.Security;

namespace MatrixTester.Diagnostics.Federation;

/// <summary>One GET of a pipelined batch: the path and the body cap.</summary>
public readonly record struct PipelinedGet(string PathAndQuery, int MaxBodyBytes);

public sealed partial class EndpointConnection
{
    private Preconnect? _preconnect;
    private Stream? _pipelined;

    /// <summary>
    /// Start the TCP connect and TLS handshake now, before the requests are known to be wanted (discovery may still
    /// pick another endpoint). Nothing is sent over the connection until <see cref="GetPipelinedAsync"/> uses it;
    /// <see cref="Dispose"/> closes it if nobody does.
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
    /// Several GETs over one TCP+TLS connection, sent together (HTTP/1.1 pipelining), answered in order. A request the
    /// server did not answer because it closed the connection after an earlier response (or after a failed one) is
    /// sent again on a new connection, as RFC 9112 section 9.3.2 allows for idempotent requests; so is one left
    /// unanswered past the request timeout (a server that ignores pipelined requests). Failures are data.
    /// </summary>
    public async Task<IReadOnlyList<HttpExchange>> GetPipelinedAsync(IReadOnlyList<PipelinedGet> requests, string hostHeader, Func<TimeSpan> elapsed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(elapsed);
        var results = new HttpExchange[requests.Count];
        HttpExchange Blank(int i) => new()
        {
            Url = $"https://{hostHeader}{requests[i].PathAndQuery}", Address = endpoint.Address, Port = endpoint.Port, HostHeader = hostHeader, Sni = Sni, StartedAt = elapsed(),
        };
        var decision = policy.Check(endpoint.Address);
        if (!decision.Allowed)
        {
            for (var i = 0; i < results.Length; i++)
            {
                results[i] = Blank(i) with { Failure = ExchangeFailure.AddressRefused, Error = $"{Format(endpoint)} is in a non-public range: {decision.Range}. The tester does not connect to it." };
            }
            return results;
        }

        var next = 0;
        // A speculative connection sat idle while discovery ran; a front end may have closed it meanwhile. If its
        // first request gets no answer because the connection is gone, ask once more on a fresh connection.
        var speculativeRetryLeft = true;
        while (next < requests.Count)
        {
            var start = time.GetTimestamp();
            var first = next;
            Stream stream;
            bool speculative;
            try
            {
                (stream, speculative) = await TakeConnectionAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // The connection itself failed: every remaining request fails the same way.
                var (failure, message, finding) = Classify(ex, timedOut: false);
                for (; next < requests.Count; next++)
                {
                    results[next] = Blank(next) with { Failure = failure, Error = message, FailureFinding = finding, Duration = time.GetElapsedTime(start), NewConnection = true };
                }
                break;
            }
            var startedAt = elapsed();
            var pipeline = new Http11Pipeline(stream, 64 * 1024);
            var keep = false;
            var retryFirst = speculative && speculativeRetryLeft;
            speculativeRetryLeft &= !speculative;
            try
            {
                await stream.WriteAsync(Http11Pipeline.FormatRequests(requests.Skip(first).Select(r => r.PathAndQuery), hostHeader, options.UserAgent), cancellationToken);
                await stream.FlushAsync(cancellationToken);
                for (; next < requests.Count; next++)
                {
                    var (exchange, reusable, retry) = await ReadOneAsync(pipeline, Blank(next) with { StartedAt = startedAt }, requests[next].MaxBodyBytes,
                        next == first, retryFirst, start, cancellationToken);
                    if (retry)
                    {
                        break;
                    }
                    results[next] = exchange;
                    start = time.GetTimestamp();
                    if (!reusable)
                    {
                        next++;
                        break;
                    }
                }
                keep = next == requests.Count;
            }
            catch (Exception ex) when (retryFirst && ex is IOException)
            {
                // Writing to the idle speculative connection failed: it was closed; the loop opens a fresh one.
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Writing failed: the connection is gone before any answer; report it on the first request.
                var (failure, message, finding) = Classify(ex, timedOut: false);
                results[next] = Blank(next) with { Failure = failure, Error = message, FailureFinding = finding, Duration = time.GetElapsedTime(start), NewConnection = next == first };
                next++;
            }
            finally
            {
                if (!keep)
                {
                    await stream.DisposeAsync();
                    _pipelined = null;
                }
            }
        }
        return results;
    }

    /// <summary>The speculative connection if one was started (Speculative = true), else a new one.</summary>
    private async Task<(Stream Stream, bool Speculative)> TakeConnectionAsync(CancellationToken cancellationToken)
    {
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
        var previous = _pipelined;
        _pipelined = stream;
        if (previous is not null)
        {
            await previous.DisposeAsync();
        }
        return (stream, pending is not null);
    }

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
    /// Reads one response; <c>Retry</c> when the server closed the connection before answering a request it had after
    /// the first, or before answering the first one on an idle speculative connection (<paramref name="retryFirst"/>).
    /// </summary>
    private async Task<(HttpExchange Exchange, bool Reusable, bool Retry)> ReadOneAsync(Http11Pipeline pipeline, HttpExchange exchange, int maxBodyBytes,
        bool firstOnConnection, bool retryFirst, long start, CancellationToken cancellationToken)
    {
        using var timer = new CancellationTokenSource(options.RequestTimeout, time);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            var response = await pipeline.ReadResponseAsync(maxBodyBytes, timeout.Token);
            var received = exchange with { Body = response.Body };
            return (exchange with
            {
                BodyLength = response.Body.Length,
                BodyStart = response.Body.Length == 0 ? null : received.BodyPreview(500),
                Status = response.Status,
                ReasonPhrase = response.Reason,
                Headers = CollectHeaders(response.Headers.Select(h => new KeyValuePair<string, IEnumerable<string>>(h.Key, [h.Value]))),
                Body = response.Body,
                Failure = response.TooLarge ? ExchangeFailure.BodyTooLarge : ExchangeFailure.None,
                Error = response.TooLarge ? $"The response body is larger than the {maxBodyBytes / 1024} KiB limit." : null,
                Duration = time.GetElapsedTime(start),
                NewConnection = firstOnConnection,
                ConnectTime = firstOnConnection ? Session?.ConnectTime : null,
                TlsTime = firstOnConnection ? Session?.HandshakeTime : null,
            }, response.Reusable, false);
        }
        catch (Http11EndedException ended) when (ended.NothingReceived && (!firstOnConnection || retryFirst))
        {
            return (exchange, false, true);
        }
        catch (IOException) when (firstOnConnection && retryFirst)
        {
            // Reset by a front end that had already dropped the idle connection.
            return (exchange, false, true);
        }
        catch (OperationCanceledException) when (!firstOnConnection && !cancellationToken.IsCancellationRequested)
        {
            // Some servers and middleboxes never answer a pipelined request; ask again, first on a new connection.
            return (exchange, false, true);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var (failure, message, finding) = Classify(ex, timeout.IsCancellationRequested);
            return (exchange with { Failure = failure, Error = message, FailureFinding = finding, Duration = time.GetElapsedTime(start), NewConnection = firstOnConnection }, false, false);
        }
    }
}
