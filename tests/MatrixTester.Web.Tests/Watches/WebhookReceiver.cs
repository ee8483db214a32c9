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

/// <summary>
/// A real HTTP receiver (Kestrel on 127.0.0.1, any free port) that records every POST to <c>/hook</c>. It can be told
/// to fail the next few deliveries with 503, to exercise the sender's retries.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<Delivery> _deliveries = [];
    private readonly Arrivals _arrivals = new();
    private int _failNext;

    private WebhookReceiver(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    public int Attempts { get; private set; }

    public IReadOnlyList<Delivery> Deliveries
    {
        get { lock (_deliveries) { return [.. _deliveries]; } }
    }

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
