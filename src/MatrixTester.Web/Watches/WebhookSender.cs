using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using MatrixTester.Diagnostics;
using MatrixTester.Diagnostics.Federation;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.Watches;

/// <summary>
/// Posts signed alert payloads to webhooks. Every connection goes through the engine's <see cref="AddressPolicy"/>
/// on the address actually dialled (so DNS that changes after the URL was checked cannot reach a private target),
/// no redirects, no proxy, a timeout per attempt, a cap on what is read back, and bounded retries with backoff.
/// </summary>
public sealed partial class WebhookSender : IDisposable
{
    /// <summary>Header carrying <c>sha256=</c> and the lower-case hex HMAC-SHA256 of the body under the watch's secret.</summary>
    public const string SignatureHeader = "X-MatrixTester-Signature";

    /// <summary>Header naming what a request is: <c>alert</c> or <c>verification</c>.</summary>
    public const string EventHeader = "X-MatrixTester-Event";

    private readonly HttpClient _client;
    private readonly IOptions<MonitoringOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<WebhookSender> _logger;

    public WebhookSender(IOptions<DiagnosisOptions> diagnosis, IOptions<MonitoringOptions> options, TimeProvider time, ILogger<WebhookSender> logger)
    {
        Policy = AddressPolicy.FromOptions(diagnosis.Value);
        _options = options;
        _time = time;
        _logger = logger;
        _client = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            ConnectCallback = ConnectAsync,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        })
        { Timeout = Timeout.InfiniteTimeSpan };
        _client.DefaultRequestHeaders.UserAgent.ParseAdd("MatrixTester-Alerts/1");
    }

    public AddressPolicy Policy { get; }

    public static string Sign(string secret, byte[] body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>True when a 2xx arrived within <see cref="WebhookOptions.MaxAttempts"/> attempts.</summary>
    public async Task<bool> SendAsync(Watch watch, byte[] body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(watch);
        var settings = _options.Value.Webhook;
        for (var attempt = 1; ; attempt++)
        {
            var (done, reason) = await AttemptAsync(watch, body, settings, cancellationToken);
            if (done)
            {
                return reason is null;
            }
            WatchLog.WebhookAttemptFailed(_logger, attempt, watch.Id, reason!);
            if (attempt >= settings.MaxAttempts)
            {
                return false;
            }
            await Task.Delay(settings.RetryDelay * Math.Pow(2, attempt - 1), _time, cancellationToken);
        }
    }

    // (true, null): delivered. (true, reason): refused for good (a 4xx other than 408/429). (false, reason): retry.
    private async Task<(bool Done, string? Reason)> AttemptAsync(Watch watch, byte[] body, WebhookOptions settings, CancellationToken cancellationToken)
    {
        using var timer = new CancellationTokenSource(settings.Timeout, _time);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        using var request = new HttpRequestMessage(HttpMethod.Post, watch.WebhookUrl) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json") { CharSet = "utf-8" };
        request.Headers.Add(SignatureHeader, Sign(watch.WebhookSecret!, body));
        request.Headers.Add(EventHeader, "alert");
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            await DrainAsync(response, settings.MaxResponseBytes, timeout.Token);
            var status = (int)response.StatusCode;
            return status is >= 200 and < 300 ? (true, null)
                : status is >= 400 and < 500 and not 408 and not 429 ? (true, $"HTTP {status}")
                : (false, $"HTTP {status}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (false, $"no answer within {settings.Timeout.TotalSeconds:0} s");
        }
        catch (HttpRequestException e)
        {
            return (false, e.Message);
        }
    }

    // Read (and discard) at most the cap, so a receiver answering with an endless body cannot hold us.
    private static async Task DrainAsync(HttpResponseMessage response, int cap, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[Math.Min(cap, 8192) + 1];
        for (var total = 0; total < cap;)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(0, Math.Min(buffer.Length, cap - total + 1)), cancellationToken);
            if (read == 0)
            {
                return;
            }
            total += read;
        }
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        var refused = new List<string>();
        foreach (var address in addresses)
        {
            if (Policy.Check(address) is { Allowed: false } decision)
            {
                refused.Add($"{address} ({decision.Range})");
                continue;
            }
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                refused.Add($"{address}: {e.SocketErrorCode}");
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw new HttpRequestException($"{host}:{context.DnsEndPoint.Port}: no address could be used ({(refused.Count == 0 ? "none found" : string.Join("; ", refused))})");
    }

    public void Dispose() => _client.Dispose();
}
