using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using MatrixTester.Diagnostics.Keys;
using MatrixTester.Lab;
using MatrixTester.Lab.Keys;
using MatrixTester.Lab.Peer;
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

    private static int _announced;

    /// <summary>Skips without node on a developer's machine; fails under CI, which must run these tests.</summary>
    public static void RequireNode()
    {
        if (LabPeerRuntime.SkipReason() is { } reason)
        {
            // Once per run in the output (xunit diagnostic messages are on), so the summary says what is missing.
            if (Interlocked.Exchange(ref _announced, 1) == 0)
            {
                TestContext.Current.SendDiagnosticMessage($"Skipping the tests that need node: {reason}");
            }
            Assert.Skip(reason);
        }
    }

    /// <summary>
    /// The origin: at https://origin.lab:8448, keys as the tester serves them — a long-term key that signs first and
    /// <paramref name="key"/> (the probe key, which signs the requests) — each fetch's remote address recorded.
    /// </summary>
    public static async Task<Origin> StartOriginAsync(FederationLab lab, LabSigningKey key)
    {
        var address = FederationLab.NewAddress();
        var fetchedFrom = new List<IPAddress>();
        var longTerm = LabSigningKey.Create("ed25519:long");
        var body = longTerm.KeyResponse(OriginName, DateTimeOffset.UtcNow.AddHours(1), new KeyResponseOptions { AdditionalSigners = [key] });
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
        return new Origin(address, key, longTerm, fetchedFrom);
    }

    /// <summary>The Authorization header for a request, per the spec's request authentication (X-Matrix).</summary>
    public static string XMatrix(LabSigningKey key, string method, string uri, string destination = PeerName, string origin = OriginName)
    {
        var request = new JsonObject { ["method"] = method, ["uri"] = uri, ["origin"] = origin, ["destination"] = destination };
        var signed = JsonNode.Parse(key.SignJson(request.ToJsonString(), origin))!;
        var sig = (string)signed["signatures"]![origin]![key.KeyId]!;
        return $"X-Matrix origin=\"{origin}\",destination=\"{destination}\",key=\"{key.KeyId}\",sig=\"{sig}\"";
    }

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
internal sealed record Origin(IPAddress Address, LabSigningKey Key, LabSigningKey LongTermKey, List<IPAddress> FetchedFrom)
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
