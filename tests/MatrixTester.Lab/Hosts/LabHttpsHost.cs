using System.Net;
using System.Net.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;

namespace MatrixTester.Lab.Hosts;

/// <summary>
/// A Kestrel HTTPS server on one loopback address and port, sending exactly the certificate chain it is given, and
/// answering from a path → handler table that scenarios fill (well-known files, homeserver endpoints, redirects).
/// </summary>
public sealed class LabHttpsHost : IAsyncDisposable
{
    private static long _totalHandshakes;
    private readonly WebApplication _app;
    private readonly Holder _certificate;
    private readonly Counter _handshakes;

    private LabHttpsHost(WebApplication app, Holder certificate, Counter handshakes, IPEndPoint endPoint, LabRoutes routes)
    {
        _app = app;
        _certificate = certificate;
        _handshakes = handshakes;
        EndPoint = endPoint;
        Routes = routes;
    }

    public IPEndPoint EndPoint { get; }

    public LabRoutes Routes { get; }

    /// <summary>TLS handshakes this host began (one per TCP connection): what "connections per diagnosis" costs the server.</summary>
    public long Handshakes => _handshakes.Value;

    /// <summary>TLS handshakes begun by every lab HTTPS host in this process (benchmarks read the difference).</summary>
    public static long TotalHandshakes => Interlocked.Read(ref _totalHandshakes);

    /// <summary>Requests received, in order, as "Host path" (for asserting the Host header and what was asked).</summary>
    public IReadOnlyList<string> RequestLog => Routes.Log;

    /// <param name="http2">Also offer HTTP/2 through ALPN (h2 first), as most reverse proxies in front of homeservers do.</param>
    public static async Task<LabHttpsHost> StartAsync(IPEndPoint endPoint, SslStreamCertificateContext certificate, LabRoutes routes, bool http2 = false)
    {
        var current = new Holder(certificate);
        var handshakes = new Counter();
        List<SslApplicationProtocol> alpn = http2 ? [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11] : [SslApplicationProtocol.Http11];
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(endPoint, listen =>
            {
                listen.Protocols = http2 ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http1;
                listen.UseHttps(new TlsHandshakeCallbackOptions
                {
                    OnConnection = _ =>
                    {
                        handshakes.Increment();
                        Interlocked.Increment(ref _totalHandshakes);
                        return ValueTask.FromResult(new SslServerAuthenticationOptions { ServerCertificateContext = current.Context, ApplicationProtocols = alpn });
                    },
                });
            });
        });
        var app = builder.Build();
        app.Run(routes.HandleAsync);
        await app.StartAsync();
        return new LabHttpsHost(app, current, handshakes, endPoint, routes);
    }

    /// <summary>
    /// Serve <paramref name="certificate"/> from the next connection on ("the admin renewed the certificate", or let
    /// it lapse): monitoring scenarios change a running server rather than start another.
    /// </summary>
    public void ReplaceCertificate(Pki.LabCertificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        _certificate.Context = certificate.CreateContext();
    }

    private sealed class Counter
    {
        private long _value;

        public long Value => Interlocked.Read(ref _value);

        public void Increment() => Interlocked.Increment(ref _value);
    }

    private sealed class Holder(SslStreamCertificateContext context)
    {
        public SslStreamCertificateContext Context { get => Volatile.Read(ref context); set => Volatile.Write(ref context, value); }
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }
}

/// <summary>What a lab server answers, by path. Unknown paths get 404 like a real web server.</summary>
public sealed class LabRoutes
{
    private readonly Dictionary<string, RequestDelegate> _routes = new(StringComparer.Ordinal);
    private readonly List<string> _log = [];

    public IReadOnlyList<string> Log
    {
        get
        {
            lock (_log)
            {
                return [.. _log];
            }
        }
    }

    public void ClearLog()
    {
        lock (_log)
        {
            _log.Clear();
        }
    }

    public LabRoutes Map(string path, RequestDelegate handler)
    {
        lock (_routes)
        {
            _routes[path] = handler;
        }
        return this;
    }

    public LabRoutes Json(string path, string body, int status = 200, string contentType = "application/json", params (string Name, string Value)[] headers) =>
        Map(path, async context =>
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = contentType;
            foreach (var (name, value) in headers)
            {
                context.Response.Headers[name] = value;
            }
            await context.Response.WriteAsync(body);
        });

    public LabRoutes WellKnown(string body, string contentType = "application/json", params (string Name, string Value)[] headers) =>
        Json("/.well-known/matrix/server", body, 200, contentType, headers);

    public LabRoutes Delegate(string mServer) => WellKnown($$"""{"m.server": "{{mServer}}"}""");

    /// <summary>
    /// A response that never ends: headers, then one body byte (one chunk) every <paramref name="interval"/> until the
    /// client goes away (a broken or hostile server that trickles, never tripping a size limit or an idle timeout).
    /// </summary>
    public LabRoutes Drip(string path, TimeSpan interval) =>
        Map(path, async context =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.Body.FlushAsync(context.RequestAborted);
            while (!context.RequestAborted.IsCancellationRequested)
            {
                await context.Response.Body.WriteAsync(" "u8.ToArray(), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await Task.Delay(interval, context.RequestAborted);
            }
        });

    public LabRoutes Redirect(string path, string location, int status = 302) =>
        Map(path, context =>
        {
            context.Response.StatusCode = status;
            context.Response.Headers.Location = location;
            return Task.CompletedTask;
        });

    internal Task HandleAsync(HttpContext context)
    {
        lock (_log)
        {
            _log.Add($"{context.Request.Host} {context.Request.Path}");
        }
        RequestDelegate? handler;
        lock (_routes)
        {
            _routes.TryGetValue(context.Request.Path.Value ?? "/", out handler);
        }
        if (handler is null)
        {
            context.Response.StatusCode = 404;
            context.Response.ContentType = "text/html";
            return context.Response.WriteAsync("<html><body><h1>404 Not Found</h1></body></html>");
        }
        return handler(context);
    }
}
