using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MatrixTester.Diagnostics.Keys;
using MatrixTester.Diagnostics.TwoWay;
using MatrixTester.Lab;
using MatrixTester.Lab.Hosts;
using MatrixTester.Lab.Keys;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace MatrixTester.Diagnostics.Tests.TwoWay;

public enum TargetFault
{
    None,
    OutboundBlocked,
    DropsAuthorization,
    RewritesPath,
    NoNotary,
    FetchesFromOtherAddress,
    /// <summary>Its outbound connections hang (a firewall that drops): it never answers a signed request.</summary>
    OutboundHangs,
    /// <summary>Not a homeserver: 404 M_NOT_FOUND to every federation request, signed or not, without fetching any key.</summary>
    Stub,
    /// <summary>Accepts our signed request, but its rate limiter answers the next one 429 (the control request says nothing).</summary>
    LimitsSecondRequest,
}

/// <summary>
/// A C# stand-in for the target's side of the two-way check, for the engine's plumbing (the lab peer, an independent
/// implementation, is the real verifier): it reads X-Matrix, fetches the origin's key over HTTPS from the lab, verifies
/// the signature over the raw request target it received, and answers the notary query.
/// </summary>
/// <param name="ownAddress">The target's own address: its fetches leave from there, as a real server's do.</param>
internal sealed partial class ScriptedTarget(LabIdentity tester, LabSigningKey key, string serverName, TargetFault fault, Func<IPAddress> ownAddress)
{
    [GeneratedRegex("^X-Matrix origin=\"([^\"]+)\",destination=\"([^\"]+)\",key=\"([^\"]+)\",sig=\"([^\"]+)\"$")]
    private static partial Regex XMatrix();

    private readonly Dictionary<string, byte[]> _keys = new(StringComparer.Ordinal);

    /// <summary>The Authorization headers and raw request targets the target received.</summary>
    public List<(string? Authorization, string RawTarget)> Received { get; } = [];

    public void Map(LabRoutes routes)
    {
        if (fault == TargetFault.Stub)
        {
            routes.Map("/_matrix/federation/v1/query/directory", RecordThen(context => Error(context, 404, "M_NOT_FOUND", "Not found")));
            routes.Map("/_matrix/key/v2/query", context => Error(context, 404, "M_NOT_FOUND", "Not found"));
            return;
        }
        routes.Map("/_matrix/federation/v1/query/directory", DirectoryAsync);
        if (fault != TargetFault.NoNotary)
        {
            routes.Map("/_matrix/key/v2/query", NotaryAsync);
        }
        else
        {
            routes.Json("/_matrix/key/v2/query", """{"errcode":"M_UNRECOGNIZED","error":"Unrecognized request"}""", 404);
        }
    }

    private async Task DirectoryAsync(HttpContext context)
    {
        try
        {
            await VerifyAsync(context);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or InvalidOperationException)
        {
            await Error(context, 500, "M_UNKNOWN", ex.ToString());
        }
    }

    private RequestDelegate RecordThen(RequestDelegate answer) => context =>
    {
        lock (Received)
        {
            Received.Add((context.Request.Headers.Authorization.FirstOrDefault(), context.Features.Get<IHttpRequestFeature>()!.RawTarget));
        }
        return answer(context);
    };

    private async Task VerifyAsync(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        var authorization = fault == TargetFault.DropsAuthorization ? null : context.Request.Headers.Authorization.FirstOrDefault();
        int count;
        lock (Received)
        {
            Received.Add((authorization, raw));
            count = Received.Count;
        }
        if (fault == TargetFault.LimitsSecondRequest && count > 1)
        {
            await Error(context, 429, "M_LIMIT_EXCEEDED", "Too many requests");
            return;
        }
        if (authorization is null || XMatrix().Match(authorization) is not { Success: true } m)
        {
            await Error(context, 401, "M_MISSING_TOKEN", "Missing Authorization headers");
            return;
        }
        if (fault == TargetFault.OutboundHangs)
        {
            // Waiting on a key fetch that never connects, until the caller gives up.
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        }
        var publicKey = fault == TargetFault.OutboundBlocked ? null : await FetchKeyAsync(m.Groups[3].Value);
        if (publicKey is null)
        {
            await Error(context, 401, "M_UNAUTHORIZED", $"Failed to find any key to satisfy {m.Groups[1].Value}");
            return;
        }
        var uri = fault == TargetFault.RewritesPath ? "/_matrix" + raw : raw;
        var signed = XMatrixSigner.SigningBytes(context.Request.Method, uri, m.Groups[1].Value, m.Groups[2].Value);
        if (!UnpaddedBase64.TryDecode(m.Groups[4].Value, out var sig) || !Ed25519.Verify(publicKey, signed, sig))
        {
            await Error(context, 401, "M_UNAUTHORIZED", "Invalid signature");
            return;
        }
        await Error(context, 404, "M_NOT_FOUND", "Room alias not found");
    }

    private async Task NotaryAsync(HttpContext context)
    {
        var body = await JsonNode.ParseAsync(context.Request.Body);
        var keyId = body!["server_keys"]![tester.ServerName]!.AsObject().Single().Key;
        var keys = new JsonArray();
        if (fault != TargetFault.OutboundBlocked && await FetchResponseAsync(keyId) is { } response)
        {
            keys.Add(JsonNode.Parse(key.SignJson(response, serverName)));
        }
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(new JsonObject { ["server_keys"] = keys }.ToJsonString());
    }

    /// <summary>The origin's key, fetched once and then taken from the cache, as a homeserver does.</summary>
    private async Task<byte[]?> FetchKeyAsync(string keyId)
    {
        lock (_keys)
        {
            if (_keys.TryGetValue(keyId, out var cached))
            {
                return cached;
            }
        }
        var response = await FetchResponseAsync(keyId);
        var text = response is null ? null : JsonNode.Parse(response)!["verify_keys"]?[keyId]?["key"]?.GetValue<string>();
        if (!UnpaddedBase64.TryDecode(text, out var bytes))
        {
            return null;
        }
        lock (_keys)
        {
            _keys[keyId] = bytes;
        }
        return bytes;
    }

    /// <summary>GET the origin's key over TLS on 8448, trusting only the lab root, from our own address (or another).</summary>
    private async Task<string?> FetchResponseAsync(string keyId)
    {
        var local = fault == TargetFault.FetchesFromOtherAddress ? FederationLab.NewAddress() : ownAddress();
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(local, 0));
                await socket.ConnectAsync(new IPEndPoint(tester.Address, 8448), ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
            SslOptions = new SslClientAuthenticationOptions
            {
                // The lab PKI publishes no revocation lists.
                CertificateChainPolicy = new X509ChainPolicy
                {
                    TrustMode = X509ChainTrustMode.CustomRootTrust, CustomTrustStore = { Lab.Pki.LabPki.Instance.Root }, RevocationMode = X509RevocationMode.NoCheck,
                },
            },
        };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(5) };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("ScriptedTarget/1.0");
        var answer = await client.GetAsync(new Uri($"https://{tester.ServerName}:8448/_matrix/key/v2/server/{keyId}"));
        return answer.IsSuccessStatusCode ? await answer.Content.ReadAsStringAsync() : null;
    }

    private static async Task Error(HttpContext context, int status, string errcode, string error)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(new JsonObject { ["errcode"] = errcode, ["error"] = error }.ToJsonString());
    }
}
