using System.Net;
using MatrixTester.Lab.Keys;
using MatrixTester.Lab.Peer;
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
        return (peer, origin, PeerClient(peer));
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
    }
}
