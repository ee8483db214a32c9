using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MatrixTester.Lab.Peer;
using MatrixTester.Lab.Pki;

namespace MatrixTester.Diagnostics.Tests.TwoWay;

/// <summary>HTTPS requests to a lab peer by its server name, trusting only the lab root.</summary>
internal static class PeerClient
{
    /// <summary>A client for https://peer.lab:…: connects to the peer's address, trusts only the lab root.</summary>
    public static HttpClient For(LabFederationPeer peer) => new(new SocketsHttpHandler
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
}
