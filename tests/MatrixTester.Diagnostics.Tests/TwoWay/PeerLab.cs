using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MatrixTester.Diagnostics.Keys;
using MatrixTester.Lab;
using MatrixTester.Lab.Hosts;
using MatrixTester.Lab.Keys;
using MatrixTester.Lab.Peer;
using MatrixTester.Lab.Pki;
using Microsoft.AspNetCore.Http;

namespace MatrixTester.Diagnostics.Tests.TwoWay;

/// <summary>
/// What the lab peer tests need besides the peer: an ORIGIN homeserver in the lab (a plain name with its keys on
/// :8448, recording who fetched them), X-Matrix signing written here from the spec, and an HTTPS client that trusts
/// the lab root.
/// </summary>
internal static class PeerLab
{
    public const string OriginName = "origin.lab";
    public const string PeerName = "peer.lab";

    /// <summary>Skips without node on a developer's machine; fails under CI, which must run these tests.</summary>
    public static void RequireNode()
    {
        if (LabPeerRuntime.Unavailable is not { } reason)
        {
            return;
        }
        if (Environment.GetEnvironmentVariable("CI") is { } ci && (ci.Equals("true", StringComparison.OrdinalIgnoreCase) || ci == "1"))
        {
            Assert.Fail(reason + " CI must run the lab peer tests: .ci/run installs it.");
        }
        Assert.Skip(reason);
    }

    /// <summary>The origin: keys of <paramref name="key"/> at https://origin.lab:8448, each fetch's remote address recorded.</summary>
    public static async Task<Origin> StartOriginAsync(FederationLab lab, LabSigningKey key)
    {
        var address = FederationLab.NewAddress();
        var fetchedFrom = new List<IPAddress>();
        var body = key.KeyResponse(OriginName, DateTimeOffset.UtcNow.AddHours(1));
        await lab.HttpsAsync(address, 8448, lab.Pki.Issue(OriginName), routes => routes
            .Json("/_matrix/federation/v1/version", """{"server": {"name": "Origin", "version": "1"}}""")
            .Map("/_matrix/key/v2/server", async context =>
            {
                lock (fetchedFrom)
                {
                    fetchedFrom.Add(context.Connection.RemoteIpAddress!.MapToIPv4());
                }
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(body);
            }));
        lab.Zone.A(OriginName, address.ToString());
        return new Origin(address, key, fetchedFrom);
    }

    /// <summary>The Authorization header for a request, per the spec's request authentication (X-Matrix).</summary>
    public static string XMatrix(LabSigningKey key, string method, string uri, string destination = PeerName, string origin = OriginName)
    {
        var request = new JsonObject { ["method"] = method, ["uri"] = uri, ["origin"] = origin, ["destination"] = destination };
        var signed = JsonNode.Parse(key.SignJson(request.ToJsonString(), origin))!;
        var sig = (string)signed["signatures"]![origin]![key.KeyId]!;
        return $"X-Matrix origin=\"{origin}\",destination=\"{destination}\",key=\"{key.KeyId}\",sig=\"{sig}\"";
    }

    /// <summary>A client for https://peer.lab:…: connects to the peer's address, trusts only the lab root.</summary>
    public static HttpClient PeerClient(LabFederationPeer peer) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (_, ct) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(peer.EndPoint, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
        SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = TrustLabRoot },
    })
    {
        BaseAddress = new Uri($"https://{peer.ServerName}:{peer.EndPoint.Port}"),
        Timeout = TimeSpan.FromSeconds(20),
    };

    private static bool TrustLabRoot(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.Add(LabPki.Instance.Root);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            custom.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
        }
        using var leaf = new X509Certificate2(certificate);
        return custom.Build(leaf);
    }

    /// <summary>Sends a GET with an optional Authorization header; the status and the parsed JSON body.</summary>
    public static async Task<(HttpStatusCode Status, JsonObject Body)> GetAsync(HttpClient client, string uri, string? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        return (response.StatusCode, await ReadAsync(response));
    }

    public static async Task<(HttpStatusCode Status, JsonObject Body)> PostAsync(HttpClient client, string uri, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(uri, content, TestContext.Current.CancellationToken);
        return (response.StatusCode, await ReadAsync(response));
    }

    private static async Task<JsonObject> ReadAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)) as JsonObject
        ?? throw new JsonException("not a JSON object");

    /// <summary>Whether <paramref name="keyObject"/> carries a valid signature of <paramref name="entity"/> by <paramref name="key"/>
    /// (checked with the engine's canonical JSON, not node's).</summary>
    public static bool SignedBy(JsonObject keyObject, string entity, string keyId, ReadOnlySpan<byte> publicKey)
    {
        var sig = (string?)keyObject["signatures"]?[entity]?[keyId];
        if (sig is null || !UnpaddedBase64.TryDecode(sig, out var signature))
        {
            return false;
        }
        var message = CanonicalJson.EncodeForSigning(Encoding.UTF8.GetBytes(keyObject.ToJsonString())).GetBytesOrThrow();
        return Ed25519.Verify(publicKey, message, signature);
    }
}

/// <summary>The lab origin homeserver: where it listens, its key, and the addresses its keys were fetched from.</summary>
internal sealed record Origin(IPAddress Address, LabSigningKey Key, List<IPAddress> FetchedFrom)
{
    public IReadOnlyList<IPAddress> Fetches
    {
        get
        {
            lock (FetchedFrom)
            {
                return [.. FetchedFrom];
            }
        }
    }
}
