using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using MatrixTester.Diagnostics.RtcToken;
using MatrixTester.Lab;
using Microsoft.AspNetCore.Http;

namespace MatrixTester.Diagnostics.Tests.RtcToken;

/// <summary>
/// The tester as a homeserver for engine tests (the site's own is tested through the site): a lab name whose
/// <c>/_matrix/federation/v1/openid/userinfo</c> on 8448 answers <c>{"sub": …}</c> for the tokens it minted and 401
/// otherwise, recording each call with a live token.
/// </summary>
internal sealed class LabOpenIdIssuer : IOpenIdIssuer
{
    private readonly List<Probe> _probes = [];

    private LabOpenIdIssuer(string serverName) => ServerName = serverName;

    public string ServerName { get; }

    public IPAddress Address { get; private set; } = IPAddress.None;

    /// <summary>Every call of the userinfo endpoint, with or without a valid token.</summary>
    public int Requests { get; private set; }

    public static async Task<LabOpenIdIssuer> StartAsync(FederationLab lab, string serverName = "tester.lab.test")
    {
        var issuer = new LabOpenIdIssuer(serverName) { Address = FederationLab.NewAddress() };
        lab.Zone.A(serverName, issuer.Address.ToString());
        await lab.HttpsAsync(issuer.Address, 8448, lab.Pki.Issue(serverName), routes => routes.Map("/_matrix/federation/v1/openid/userinfo", issuer.UserInfoAsync));
        return issuer;
    }

    public Task<IOpenIdProbe> StartAsync(string targetServerName, int services, CancellationToken cancellationToken)
    {
        var grants = Enumerable.Range(0, services)
            .Select(_ => new OpenIdGrant($"@matrixtester-{RandomNumberGenerator.GetHexString(8, lowercase: true)}:{ServerName}", RandomNumberGenerator.GetHexString(40)))
            .ToArray();
        var probe = new Probe(grants, DateTimeOffset.UtcNow);
        lock (_probes)
        {
            _probes.Add(probe);
        }
        return Task.FromResult<IOpenIdProbe>(probe);
    }

    private async Task UserInfoAsync(HttpContext context)
    {
        Requests++;
        var token = context.Request.Query["access_token"].ToString();
        Probe[] probes;
        lock (_probes)
        {
            probes = [.. _probes];
        }
        var match = probes.SelectMany(p => p.Grants.Select((g, i) => (Probe: p, Grant: g, Index: i))).FirstOrDefault(x => x.Grant.AccessToken == token && !x.Probe.Released);
        context.Response.ContentType = "application/json";
        if (match.Probe is null)
        {
            context.Response.StatusCode = 401;
            await context.Response.WriteAsync(token.Length == 0
                ? """{"errcode": "M_MISSING_TOKEN", "error": "Missing access token"}"""
                : """{"errcode": "M_UNKNOWN_TOKEN", "error": "Unknown token"}""");
            return;
        }
        var remote = context.Connection.RemoteIpAddress!;
        remote = remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote;
        match.Probe.Record(new OpenIdCallback(match.Index, remote.ToString(), remote.AddressFamily == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4",
            context.Request.Headers.UserAgent.ToString(), (long)(DateTimeOffset.UtcNow - match.Probe.StartedAt).TotalMilliseconds));
        await context.Response.WriteAsync($$"""{"sub": "{{match.Grant.UserId}}"}""");
    }

    private sealed class Probe(IReadOnlyList<OpenIdGrant> grants, DateTimeOffset startedAt) : IOpenIdProbe
    {
        private readonly List<OpenIdCallback> _callbacks = [];

        public IReadOnlyList<OpenIdGrant> Grants => grants;

        public DateTimeOffset StartedAt => startedAt;

        public TimeSpan Lifetime => TimeSpan.FromMinutes(2);

        public bool Released { get; private set; }

        public void Record(OpenIdCallback callback)
        {
            lock (_callbacks)
            {
                _callbacks.Add(callback);
            }
        }

        public Task<IReadOnlyList<OpenIdCallback>> CallbacksAsync(CancellationToken cancellationToken)
        {
            lock (_callbacks)
            {
                return Task.FromResult<IReadOnlyList<OpenIdCallback>>([.. _callbacks]);
            }
        }

        public Task ReleaseAsync(CancellationToken cancellationToken)
        {
            Released = true;
            return Task.CompletedTask;
        }
    }
}
