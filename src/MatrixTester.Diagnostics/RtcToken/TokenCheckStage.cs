using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using MatrixTester.Diagnostics.Federation;
using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.RtcToken;

/// <summary>
/// The end-to-end call token check: for each authorization service the target published, ask for a call token for
/// one of our probe users (<c>POST /get_token</c>, the legacy <c>POST /sfu/get</c> when that is missing), watch the
/// service verify the user by calling our userinfo endpoint, read the token it gives, and ask the SFU it names
/// whether it accepts that token (<c>GET /rtc/validate</c>). Only URLs the target published, through the address
/// policy, each request bounded by the engine's limits. Calls to our userinfo endpoint are reported through
/// <paramref name="observer"/> while they happen.
/// </summary>
internal sealed class TokenCheckStage(DiagnosisContext context, IOpenIdIssuer issuer, IOpenIdProbe probe, TokenCheckObserver observer,
    Func<IReadOnlyList<X509Certificate2>, string, string?> validateCertificate)
{
    private const int MaxBodyBytes = 16 * 1024;
    private const string DeviceId = "MATRIXTESTER";
    private const string Slot = "m.call#ROOM";
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    // A call-back that landed on another instance reaches the shared store a moment after the service answers us.
    private static readonly TimeSpan StoreGrace = TimeSpan.FromMilliseconds(800);

    private readonly HttpsFetcher _fetcher = new(context, validateCertificate);
    private readonly List<OpenIdCallback> _callbacks = [];

    public async Task<TokenCheckReport> RunAsync(IReadOnlyList<Uri> services, CancellationToken cancellationToken)
    {
        using var polling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var poller = PollAsync(polling.Token);
        try
        {
            var reports = new List<ServiceTokenReport>();
            for (var i = 0; i < services.Count && i < probe.Grants.Count; i++)
            {
                reports.Add(await CheckServiceAsync(i, services[i], cancellationToken));
            }
            await RefreshAsync(cancellationToken);
            var callbacks = Callbacks();
            reports = [.. reports.Select((r, i) => r with { Callbacks = [.. callbacks.Where(c => c.Grant == i)] })];
            return TokenCheckClassifier.Classify(reports, issuer.ServerName);
        }
        finally
        {
            await polling.CancelAsync();
            await poller;
        }
    }

    private async Task<ServiceTokenReport> CheckServiceAsync(int index, Uri service, CancellationToken cancellationToken)
    {
        var grant = probe.Grants[index];
        var url = ReportText.Cap(service.AbsoluteUri, ReportText.Url);
        var unreachable = new ServiceTokenReport(url, null, null, "Unreachable") { UserId = grant.UserId };
        if (service.Scheme != Uri.UriSchemeHttps)
        {
            return unreachable with { Error = "The service URL is not https://; clients and the tester only use it over HTTPS." };
        }
        var (address, problem) = await _fetcher.ResolveAsync(service.IdnHost, "addresses of the call authorization service", cancellationToken);
        if (address is null)
        {
            return unreachable with { Error = problem };
        }
        observer.Waiting(url, grant.UserId);
        var request = NewRequest(grant, legacy: false);
        var endpoint = "/get_token";
        var exchange = await PostAsync(service, address, endpoint, GetTokenBody(grant, request), cancellationToken);
        if (exchange.Failure == ExchangeFailure.None && exchange.Status == 404)
        {
            // lk-jwt-service before /get_token (MSC4195) offers only the legacy endpoint.
            request = NewRequest(grant, legacy: true);
            endpoint = "/sfu/get";
            exchange = await PostAsync(service, address, endpoint, LegacyBody(grant, request), cancellationToken);
        }
        if (exchange.Failure != ExchangeFailure.None)
        {
            return unreachable with { Endpoint = endpoint, Error = ReportText.CapOrNull(exchange.Error, ReportText.Line) };
        }
        await RefreshAsync(cancellationToken);
        if (exchange.Status != 200 && !Callbacks().Any(c => c.Grant == index))
        {
            await Task.Delay(StoreGrace, context.Time, cancellationToken);
            await RefreshAsync(cancellationToken);
        }
        var answered = unreachable with { Endpoint = endpoint, Status = exchange.Status };
        if (exchange.Status != 200)
        {
            var refused = exchange.Status is 401 or 403 && !Callbacks().Any(c => c.Grant == index);
            return answered with { Outcome = refused ? "Refused" : "Failed", Errcode = Errcode(exchange.Body), ErrorBody = exchange.BodyPreview(ReportText.BodyStart) };
        }
        return await CheckAnswerAsync(answered, exchange, request, cancellationToken);
    }

    private async Task<ServiceTokenReport> CheckAnswerAsync(ServiceTokenReport report, HttpExchange exchange, TokenRequest request, CancellationToken cancellationToken)
    {
        var (sfu, jwt) = ReadAnswer(exchange.Body);
        if (sfu is null || jwt is null)
        {
            return report with { Outcome = "InvalidAnswer", ErrorBody = exchange.BodyPreview(ReportText.BodyStart) };
        }
        var (claims, problem) = LiveKitToken.Read(jwt, request);
        report = report with { SfuUrl = ReportText.Cap(sfu, ReportText.Url), Token = claims };
        if (claims is not { MatchesRequest: true })
        {
            return report with { Outcome = "InvalidAnswer", Error = problem ?? "the token is not for the room and user we asked for" };
        }
        var (sfuUri, notPublic) = await SfuAddressAsync(sfu, cancellationToken);
        if (notPublic is not null)
        {
            return report with { Outcome = sfuUri is null ? "SfuNotPublic" : "SfuUnreachable", Error = notPublic };
        }
        var validation = await ValidateAsync(sfuUri!.Value.Uri, sfuUri.Value.Address, jwt, cancellationToken);
        var outcome = validation.Accepted ? "Works" : validation.Status == 401 ? "SfuRefused" : "SfuUnreachable";
        return report with { Outcome = outcome, SfuValidation = validation };
    }

    /// <summary>
    /// The SFU's address as clients use it: wss:// on a name (or address) that resolves to a public address. A
    /// non-null problem with a null URI: not public; with a URI: public but without an address in DNS.
    /// </summary>
    private async Task<((Uri Uri, IPAddress Address)? Sfu, string? Problem)> SfuAddressAsync(string sfu, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(sfu, UriKind.Absolute, out var uri) || uri.Scheme != "wss")
        {
            return (null, $"{ReportText.Cap(sfu, ReportText.Url)} is not a wss:// URL; browsers on an https:// page may only open secure WebSockets.");
        }
        var host = uri.IdnHost.Trim('[', ']');
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return (null, $"{uri.Host} is this machine's own name for every client: nobody else reaches the SFU there.");
        }
        if (IPAddress.TryParse(host, out var literal) && !context.Policy.Check(literal).Allowed)
        {
            return (null, $"{literal} is a non-public address ({context.Policy.Check(literal).Range}); clients on the internet cannot reach it.");
        }
        var resolved = literal is null ? await context.ResolveHostAsync(host, "addresses of the SFU", cancellationToken) : null;
        var addresses = literal is not null ? [literal] : resolved!.Addresses;
        var allowed = addresses.FirstOrDefault(a => context.Policy.Check(a).Allowed);
        if (allowed is not null)
        {
            return ((uri, allowed), null);
        }
        return addresses.Count == 0
            ? ((uri, IPAddress.None), $"{uri.Host} has no address in DNS: {resolved?.Problem ?? "no A or AAAA record"}.")
            : (null, $"{uri.Host} resolves only to non-public addresses ({addresses[0]}); clients on the internet cannot reach it.");
    }

    /// <summary>LiveKit's own check of a token: <c>GET https://&lt;sfu&gt;/rtc/validate?access_token=…</c> (the URL kept without the token).</summary>
    private async Task<SfuValidation> ValidateAsync(Uri sfu, IPAddress address, string jwt, CancellationToken cancellationToken)
    {
        var path = sfu.AbsolutePath.TrimEnd('/') + "/rtc/validate";
        var shown = ReportText.Cap($"https://{sfu.Authority}{path}", ReportText.Url);
        context.Progress($"Asking the SFU whether it accepts the token: {shown}");
        var connection = context.SharedConnection(new IPEndPoint(address, sfu.Port), sfu.IdnHost, plainHttp: false, chain => validateCertificate(chain, sfu.IdnHost));
        var exchange = await connection.SendAsync(OutboundRequest.Get($"{path}?access_token={Uri.EscapeDataString(jwt)}", MaxBodyBytes),
            sfu.IsDefaultPort ? sfu.IdnHost : $"{sfu.IdnHost}:{sfu.Port}", () => context.Elapsed, cancellationToken);
        return exchange.Failure != ExchangeFailure.None
            ? new SfuValidation(shown, null, null, ReportText.CapOrNull(exchange.Error, ReportText.Line))
            : new SfuValidation(shown, exchange.Status, exchange.BodyPreview(256), null);
    }

    private async Task<HttpExchange> PostAsync(Uri service, IPAddress address, string endpoint, byte[] body, CancellationToken cancellationToken)
    {
        var path = service.AbsolutePath.TrimEnd('/') + endpoint;
        context.Progress($"Asking the call authorization service for a token: POST {ReportText.Cap(service.GetLeftPart(UriPartial.Authority) + path, ReportText.Url)}");
        var connection = context.SharedConnection(new IPEndPoint(address, service.Port), service.IdnHost, plainHttp: false, chain => validateCertificate(chain, service.IdnHost));
        return await connection.SendAsync(OutboundRequest.PostJson(path, body, MaxBodyBytes),
            service.IsDefaultPort ? service.IdnHost : $"{service.IdnHost}:{service.Port}", () => context.Elapsed, cancellationToken);
    }

    /// <summary>A room nobody has and a member of our own: the service needs neither to exist to mint a token.</summary>
    private TokenRequest NewRequest(OpenIdGrant grant, bool legacy) =>
        new($"!matrixtester{RandomNumberGenerator.GetHexString(16, lowercase: true)}:{issuer.ServerName}", Slot, grant.UserId, DeviceId,
            RandomNumberGenerator.GetHexString(16, lowercase: true), legacy);

    private JsonObject OpenIdToken(OpenIdGrant grant) => new()
    {
        ["access_token"] = grant.AccessToken,
        ["token_type"] = "Bearer",
        ["matrix_server_name"] = issuer.ServerName,
        ["expires_in"] = (int)probe.Lifetime.TotalSeconds,
    };

    /// <summary>MSC4195's token request, as Element Call sends it.</summary>
    private byte[] GetTokenBody(OpenIdGrant grant, TokenRequest request) => JsonSerializer.SerializeToUtf8Bytes(new JsonObject
    {
        ["room_id"] = request.RoomId,
        ["slot_id"] = request.SlotId,
        ["openid_token"] = OpenIdToken(grant),
        ["member"] = new JsonObject { ["id"] = request.MemberId, ["claimed_user_id"] = grant.UserId, ["claimed_device_id"] = request.DeviceId },
    });

    private byte[] LegacyBody(OpenIdGrant grant, TokenRequest request) => JsonSerializer.SerializeToUtf8Bytes(new JsonObject
    {
        ["room"] = request.RoomId,
        ["openid_token"] = OpenIdToken(grant),
        ["device_id"] = request.DeviceId,
    });

    private static (string? Url, string? Jwt) ReadAnswer(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(LoneSurrogates.Replace(body).Json, new JsonDocumentOptions { MaxDepth = 16 });
            var root = document.RootElement;
            return root.ValueKind != JsonValueKind.Object ? (null, null) : (Str(root, "url"), Str(root, "jwt"));
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    private static string? Errcode(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(LoneSurrogates.Replace(body).Json, new JsonDocumentOptions { MaxDepth = 16 });
            return document.RootElement.ValueKind == JsonValueKind.Object ? ReportText.CapOrNull(Str(document.RootElement, "errcode"), ReportText.Token) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>Polls the call-back log on the diagnosis clock and streams each new call as it arrives.</summary>
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
                catch (TokenCheckUnavailableException)
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

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var all = await probe.CallbacksAsync(cancellationToken);
        lock (_callbacks)
        {
            foreach (var callback in all.Skip(_callbacks.Count))
            {
                _callbacks.Add(callback);
                observer.Callback(callback);
            }
        }
    }

    private OpenIdCallback[] Callbacks()
    {
        lock (_callbacks)
        {
            return [.. _callbacks];
        }
    }
}

/// <summary>What the stage reports while it runs: a token request is about to leave; the service called our userinfo endpoint.</summary>
internal sealed record TokenCheckObserver(Action<string, string> Waiting, Action<OpenIdCallback> Callback);
