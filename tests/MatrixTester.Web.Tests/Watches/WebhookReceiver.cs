using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MatrixTester.Web.Tests.Watches;

/// <summary>One webhook delivery as the receiver saw it.</summary>
public sealed record Delivery(string? Signature, string ContentType, byte[] Body);

/// <summary>How the receiver answers a verification request.</summary>
public enum VerificationAnswer
{
    /// <summary><c>{"challenge": "…"}</c>, as docs/monitoring.md asks.</summary>
    Json,

    /// <summary>The challenge alone, as plain text.</summary>
    PlainText,

    /// <summary>204 and nothing: an endpoint that accepts any POST.</summary>
    Nothing,

    /// <summary>The request body sent back: an echo service.</summary>
    Echo,

    /// <summary>403: a receiver that checks signatures and refuses the unsigned request.</summary>
    Refuse,
}

/// <summary>
/// A real HTTP receiver (Kestrel on 127.0.0.1, any free port) that records every POST to <c>/hook</c>: alerts as
/// deliveries, verification requests apart. It answers verifications as told (the challenge, by default), and can be
/// told to fail the next few deliveries with 503, to exercise the sender's retries.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<Delivery> _deliveries = [];
    private readonly Arrivals _arrivals = new();
    private readonly List<Delivery> _verifications = [];
    private int _failNext;

    private WebhookReceiver(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    public int Attempts { get; private set; }

    public IReadOnlyList<Delivery> Deliveries
    {
        get { lock (_deliveries) { return [.. _deliveries]; } }
    }

    /// <summary>Verification requests received so far (their signature header should be absent).</summary>
    public IReadOnlyList<Delivery> Verifications
    {
        get { lock (_deliveries) { return [.. _verifications]; } }
    }

    /// <summary>How verifications are answered from now on.</summary>
    public VerificationAnswer Answer { get; set; } = VerificationAnswer.Json;

    public void FailNext(int count) => Interlocked.Exchange(ref _failNext, count);

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook", receiver.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = new Uri(new Uri(address), "/hook");
        return receiver;
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        if (context.Request.Headers["X-MatrixTester-Event"] == "verification")
        {
            await VerifyAsync(context, body.ToArray());
            return;
        }
        lock (_deliveries)
        {
            Attempts++;
        }
        if (Interlocked.Decrement(ref _failNext) >= 0)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }
        lock (_deliveries)
        {
            _deliveries.Add(new Delivery(context.Request.Headers["X-MatrixTester-Signature"], context.Request.ContentType ?? "", body.ToArray()));
        }
        _arrivals.Add();
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private async Task VerifyAsync(HttpContext context, byte[] body)
    {
        lock (_deliveries)
        {
            _verifications.Add(new Delivery(context.Request.Headers["X-MatrixTester-Signature"], context.Request.ContentType ?? "", body));
        }
        var challenge = System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("challenge").GetString()!;
        switch (Answer)
        {
            case VerificationAnswer.Json:
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(System.Text.Json.JsonSerializer.Serialize(new { challenge }));
                break;
            case VerificationAnswer.PlainText:
                context.Response.ContentType = "text/plain";
                await context.Response.WriteAsync(challenge + "\n");
                break;
            case VerificationAnswer.Echo:
                context.Response.ContentType = "application/json";
                await context.Response.Body.WriteAsync(body);
                break;
            case VerificationAnswer.Refuse:
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                break;
            default:
                context.Response.StatusCode = StatusCodes.Status204NoContent;
                break;
        }
    }

    /// <summary>The deliveries once <paramref name="count"/> have arrived, or those there are after <paramref name="timeout"/>.</summary>
    public async Task<IReadOnlyList<Delivery>> WaitForAsync(int count, TimeSpan timeout)
    {
        await _arrivals.WaitForAsync(count, timeout);
        return Deliveries;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
