using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using MatrixTester.Lab.Keys;
using MatrixTester.Lab.Peer;
using static MatrixTester.Diagnostics.Tests.TwoWay.PeerClient;
using static MatrixTester.Diagnostics.Tests.TwoWay.PeerLab;

namespace MatrixTester.Diagnostics.Tests.TwoWay;

/// <summary>
/// The lab peer (tests/lab-peer, verifying with @rocket.chat/federation-sdk) behaves like the target of a two-way
/// check, healthy and with each fault, tested against a lab origin and X-Matrix signing written here, independent
/// of any probe code.
/// </summary>
public sealed class LabPeerTests : LabTest
{
    private const string Directory = "/_matrix/federation/v1/query/directory?room_alias=%23matrixtester-abc%3Apeer.lab";
    private readonly LabSigningKey _originKey = LabSigningKey.Create("ed25519:o1");

    private async Task<(LabFederationPeer Peer, Origin Origin, HttpClient Client)> StartAsync(PeerFault fault = PeerFault.None)
    {
        RequireNode();
        var origin = await StartOriginAsync(Lab, _originKey);
        var peer = await LabFederationPeer.StartAsync(Lab, PeerName, fault, TestContext.Current.CancellationToken);
        return (peer, origin, PeerClient.For(peer));
    }

    [Fact]
    public async Task Healthy_peer_fetches_the_origin_key_and_accepts_only_a_correct_signature()
    {
        var (peer, origin, client) = await StartAsync();
        using var http = client;

        var (status, body) = await GetAsync(client, Directory, XMatrix(_originKey, "GET", Directory));
        Assert.True(status == HttpStatusCode.NotFound, $"{status} {body.ToJsonString()}\n{peer.Output}");
        Assert.Equal("M_NOT_FOUND", (string?)body["errcode"]);
        Assert.True(origin.Fetches.SequenceEqual([peer.EndPoint.Address]), $"fetched from {string.Join(", ", origin.Fetches)}\n{peer.Output}");
        var fetch = await peer.WaitForAsync("key_fetch");
        Assert.Equal(OriginName, (string?)fetch["server"]);
        Assert.True((bool)fetch["ok"]!);
        // The probe key's signature is the second on the key response: the peer puts it first for the SDK.
        Assert.Equal(_originKey.KeyId, (string?)(await peer.WaitForAsync("signature_order"))["keyId"]);

        var tampered = XMatrix(_originKey, "GET", Directory.Replace("abc", "abd", StringComparison.Ordinal));
        (status, body) = await GetAsync(client, Directory, tampered);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("M_UNAUTHORIZED", (string?)body["errcode"]);
        Assert.Contains("Invalid signature", (string?)body["error"], StringComparison.Ordinal);

        var otherKey = LabSigningKey.Create(_originKey.KeyId);
        (status, _) = await GetAsync(client, Directory, XMatrix(otherKey, "GET", Directory));
        Assert.Equal(HttpStatusCode.Unauthorized, status);

        (status, body) = await GetAsync(client, Directory, XMatrix(_originKey, "GET", Directory, destination: "someone-else.lab"));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("someone-else.lab", (string?)body["error"], StringComparison.Ordinal);

        (status, body) = await GetAsync(client, Directory, authorization: null);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("Missing Authorization headers", (string?)body["error"]);
        Assert.Single(origin.Fetches);

        // The long-term key (first signature) is fetched on its own and verifies too.
        (status, _) = await GetAsync(client, Directory, XMatrix(origin.LongTermKey, "GET", Directory));
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal(2, origin.Fetches.Count);
    }

    /// <summary>A notary query body: {"server_keys": {server: {keyId: {}} or {}}}.</summary>
    private static string KeyQuery(params (string Server, string? KeyId)[] servers)
    {
        var criteria = new JsonObject();
        foreach (var (server, keyId) in servers)
        {
            criteria[server] = keyId is null ? new JsonObject() : new JsonObject { [keyId] = new JsonObject() };
        }
        return new JsonObject { ["server_keys"] = criteria }.ToJsonString();
    }

    [Fact]
    public async Task Notary_fetches_the_origin_key_directly_and_adds_its_own_signature()
    {
        var (peer, origin, client) = await StartAsync();
        using var http = client;

        var (status, body) = await PostAsync(client, "/_matrix/key/v2/query",
            KeyQuery((OriginName, _originKey.KeyId), ("nowhere.lab", null)));
        Assert.Equal(HttpStatusCode.OK, status);
        var keys = Assert.Single(body["server_keys"]!.AsArray())!.AsObject();
        Assert.Equal(OriginName, (string?)keys["server_name"]);
        Assert.Equal(_originKey.PublicKeyBase64, (string?)keys["verify_keys"]![_originKey.KeyId]!["key"]);
        Assert.True(SignedBy(keys, OriginName, _originKey.KeyId, _originKey.PublicKey.Span), keys.ToJsonString());
        Assert.True(SignedBy(keys, PeerName, peer.SigningKey.KeyId, peer.SigningKey.PublicKey.Span), keys.ToJsonString());
        Assert.True(origin.Fetches.SequenceEqual([peer.EndPoint.Address]), peer.Output);

        (status, body) = await GetAsync(client, $"/_matrix/key/v2/query/{OriginName}/{Uri.EscapeDataString(_originKey.KeyId)}", null);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(SignedBy(Assert.Single(body["server_keys"]!.AsArray())!.AsObject(), PeerName, peer.SigningKey.KeyId, peer.SigningKey.PublicKey.Span));
        Assert.Equal(2, origin.Fetches.Count);

        (status, body) = await GetAsync(client, "/_matrix/key/v2/server", null);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(SignedBy(body, PeerName, peer.SigningKey.KeyId, peer.SigningKey.PublicKey.Span), body.ToJsonString());
        var failed = await peer.WaitForAsync("notary_fetch", e => (string?)e["server"] == "nowhere.lab");
        Assert.False((bool)failed["ok"]!);
    }

    [Fact]
    public async Task Outbound_blocked_peer_rejects_the_signature_and_its_notary_returns_nothing()
    {
        var (peer, origin, client) = await StartAsync(PeerFault.OutboundBlocked);
        using var http = client;

        var (status, body) = await GetAsync(client, Directory, XMatrix(_originKey, "GET", Directory));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("M_UNAUTHORIZED", (string?)body["errcode"]);
        Assert.Contains("ECONNREFUSED", (string?)body["error"], StringComparison.Ordinal);

        (status, body) = await PostAsync(client, "/_matrix/key/v2/query", KeyQuery((OriginName, null)));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(body["server_keys"]!.AsArray());
        Assert.Empty(origin.Fetches);
        Assert.All(peer.Events("connect"), e => Assert.True((bool?)e["blocked"]));
    }

    [Fact]
    public async Task Proxy_that_drops_Authorization_makes_a_signed_request_look_unsigned()
    {
        var (peer, origin, client) = await StartAsync(PeerFault.DropsAuthorization);
        using var http = client;

        var (status, body) = await GetAsync(client, Directory, XMatrix(_originKey, "GET", Directory));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("Missing Authorization headers", (string?)body["error"]);
        Assert.Empty(origin.Fetches);
        Assert.True((bool)(await peer.WaitForAsync("request"))["hasAuthorization"]!);

        await peer.DisposeAsync();
        Assert.Throws<ArgumentException>(() => Process.GetProcessById(peer.ProcessId));
    }

    [Fact]
    public async Task Proxy_that_rewrites_the_uri_fails_the_signature_after_the_key_was_fetched()
    {
        var (peer, origin, client) = await StartAsync(PeerFault.RewritesPath);
        using var http = client;

        var (status, body) = await GetAsync(client, Directory, XMatrix(_originKey, "GET", Directory));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("Invalid signature", (string?)body["error"], StringComparison.Ordinal);
        Assert.Single(origin.Fetches);
        var rewrite = await peer.WaitForAsync("rewrite");
        Assert.Equal("/_matrix/federation/v1/query/directory?room_alias=#matrixtester-abc:peer.lab", (string?)rewrite["to"]);

        const string plain = "/_matrix/federation/v1/query/directory?room_alias=plain";
        (status, _) = await GetAsync(client, plain, XMatrix(_originKey, "GET", plain));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task Peer_without_notary_answers_unrecognized_and_still_verifies()
    {
        var (_, _, client) = await StartAsync(PeerFault.NoNotary);
        using var http = client;

        var (status, body) = await PostAsync(client, "/_matrix/key/v2/query", KeyQuery((OriginName, null)));
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("M_UNRECOGNIZED", (string?)body["errcode"]);
        (status, body) = await GetAsync(client, $"/_matrix/key/v2/query/{OriginName}", null);
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("M_UNRECOGNIZED", (string?)body["errcode"]);

        (status, body) = await GetAsync(client, Directory, XMatrix(_originKey, "GET", Directory));
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("M_NOT_FOUND", (string?)body["errcode"]);
    }

    [Fact]
    public async Task Peer_that_fetches_from_another_address_is_seen_there_by_the_origin()
    {
        var (peer, origin, client) = await StartAsync(PeerFault.FetchesFromOtherAddress);
        using var http = client;

        var (status, _) = await GetAsync(client, Directory, XMatrix(_originKey, "GET", Directory));
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.NotNull(peer.OtherAddress);
        Assert.NotEqual(peer.EndPoint.Address, peer.OtherAddress);
        Assert.True(origin.Fetches.SequenceEqual([peer.OtherAddress]), $"fetched from {string.Join(", ", origin.Fetches)}\n{peer.Output}");
    }
}
