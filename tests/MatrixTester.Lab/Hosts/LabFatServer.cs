using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using MatrixTester.Lab.Keys;
using Microsoft.AspNetCore.Http;

namespace MatrixTester.Lab.Hosts;

/// <summary>
/// A hostile "fat" server: every name it plays has <see cref="Addresses"/> A records, and on every address each
/// answer fills what the tester accepts to the last byte with <c>&lt;</c> (a character JSON and HTML encoders
/// like to expand): the server well-known file just under 50 KiB, the client and support files, the client
/// versions and the federation version just under 64 KiB, a correctly signed key response just under 256 KiB with
/// hundreds of old keys, and 64 headers of 512 characters on every response. The keys are valid, so the report is
/// as long as a diagnosis can make it; <see cref="Broken"/> lets them expire to flip the verdict.
/// </summary>
public sealed class LabFatServer
{
    public const int Addresses = 8;
    public const int PaddedHeaders = 64;
    public const int HeaderValueLength = 512;
    public const int WellKnownBytes = 50 * 1024 - 1;
    public const int ClientBytes = 64 * 1024 - 1;
    public const int KeyBytes = 256 * 1024 - 1;
    public const char Pad = '<';

    private readonly LabSigningKey _key = LabSigningKey.Create();
    private readonly ConcurrentDictionary<(string Name, bool Broken), string> _keyResponses = new();

    private LabFatServer(IReadOnlyList<IPAddress> addresses) => Endpoints = addresses;

    /// <summary>The addresses every name resolves to (each serves 443 and 8448).</summary>
    public IReadOnlyList<IPAddress> Endpoints { get; }

    /// <summary>When true, key responses expired an hour ago: the verdict becomes broken.</summary>
    public bool Broken { get; set; }

    /// <summary>Plays every name in <paramref name="names"/> (all under <paramref name="domain"/>) on the same addresses.</summary>
    public static async Task<LabFatServer> StartAsync(FederationLab lab, string domain, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(names);
        var addresses = Enumerable.Range(0, Addresses).Select(_ => FederationLab.NewAddress()).ToArray();
        var server = new LabFatServer(addresses);
        var certificate = lab.Pki.Issue([$"*.{domain}", .. names]);
        foreach (var name in names)
        {
            foreach (var address in addresses)
            {
                lab.Zone.A(name, address.ToString());
            }
        }
        foreach (var address in addresses)
        {
            await lab.HttpsAsync(address, 443, certificate, r => r
                .Map("/.well-known/matrix/server", c => WriteAsync(c, Padded(WellKnownBytes, $"{{\"m.server\":\"{c.Request.Host.Host}:8448\",\"pad\":\"", "\"}")))
                .Map("/.well-known/matrix/client", c => WriteAsync(c, Padded(ClientBytes, $"{{\"m.homeserver\":{{\"base_url\":\"https://{c.Request.Host.Host}:8448\"}},\"pad\":\"", "\"}")))
                .Map("/.well-known/matrix/support", c => WriteAsync(c, Support(c.Request.Host.Host))));
            await lab.HttpsAsync(address, 8448, certificate, r => r
                .Map("/_matrix/federation/v1/version", c => WriteAsync(c, Padded(ClientBytes, "{\"server\":{\"version\":\"1.0\",\"name\":\"", "\"}}")))
                .Map("/_matrix/client/versions", c => WriteAsync(c, Padded(ClientBytes, "{\"versions\":[\"v1.11\",\"", "\"]}")))
                .Map("/_matrix/key/v2/server", c => WriteAsync(c, server.KeyResponse(c.Request.Host.Host))));
        }
        return server;
    }

    /// <summary><paramref name="prefix"/> + a string of <see cref="Pad"/> + <paramref name="suffix"/>, exactly <paramref name="total"/> bytes.</summary>
    public static string Padded(int total, string prefix, string suffix) =>
        prefix + new string(Pad, total - prefix.Length - suffix.Length) + suffix;

    private static Task WriteAsync(HttpContext context, string body)
    {
        context.Response.ContentType = "application/json";
        for (var i = 0; i < PaddedHeaders; i++)
        {
            context.Response.Headers[$"X-Pad-{i:D2}"] = new string(Pad, HeaderValueLength);
        }
        return context.Response.WriteAsync(body);
    }

    private static string Support(string name)
    {
        var contact = $$"""{"matrix_id":"@{{new string(Pad, 200)}}:{{name}}","email_address":"{{new string(Pad, 200)}}@{{name}}","role":"m.role.admin"},""";
        var contacts = string.Concat(Enumerable.Repeat(contact, 100));
        return Padded(ClientBytes, $$"""{"contacts":[{{contacts.TrimEnd(',')}}],"support_page":"https://{{name}}/""", "\"}");
    }

    /// <summary>A correctly signed key response of exactly <see cref="KeyBytes"/>: 300 old keys with long ids, then padding.</summary>
    private string KeyResponse(string name) => _keyResponses.GetOrAdd((name, Broken), k =>
    {
        var validUntil = k.Broken ? DateTimeOffset.UtcNow.AddHours(-1) : DateTimeOffset.UtcNow.AddDays(1);
        string Sign(int pad)
        {
            var oldKeys = new JsonObject();
            for (var i = 0; i < 300; i++)
            {
                oldKeys[$"ed25519:{i}{new string(Pad, 300)}"] = new JsonObject { ["key"] = _key.PublicKeyBase64, ["expired_ts"] = 1_600_000_000_000 + i };
            }
            var body = new JsonObject
            {
                ["server_name"] = k.Name,
                ["valid_until_ts"] = validUntil.ToUnixTimeMilliseconds(),
                ["verify_keys"] = new JsonObject { [_key.KeyId] = new JsonObject { ["key"] = _key.PublicKeyBase64 } },
                ["old_verify_keys"] = oldKeys,
                ["pad"] = new string(Pad, pad),
            };
            return _key.SignJson(body.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }), k.Name);
        }
        var first = Sign(0);
        return Sign(KeyBytes - first.Length);
    });
}
