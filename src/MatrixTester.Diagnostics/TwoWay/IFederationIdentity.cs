using System.Net;

namespace MatrixTester.Diagnostics.TwoWay;

/// <summary>
/// The tester's own Matrix identity, as the engine sees it. The site provides it when <c>Federation:ServerName</c> is
/// set; the CLI and an unconfigured site have none, and the two-way check reports "not configured".
/// </summary>
public interface IFederationIdentity
{
    /// <summary>Our server name, the <c>origin</c> of every signed request.</summary>
    string ServerName { get; }

    /// <summary>
    /// Starts a probe of <paramref name="targetServerName"/>: a fresh ephemeral key <c>ed25519:p…</c> that our key
    /// endpoint serves (on every instance) for a few minutes. A probe of the same target started less than a minute
    /// ago is returned instead of a new one (one two-way probe per target per minute).
    /// </summary>
    /// <param name="targetAddresses">
    /// The addresses the diagnosis resolved for the target: fetches of our keys are attributed to the probe only when
    /// they come from one of them (the same network: IPv4 address, IPv6 /64). Anybody can fetch our keys, but only the
    /// target can connect from its own addresses.
    /// </param>
    /// <exception cref="ProbeUnavailableException">No probe can be had now (the message says why and when).</exception>
    Task<IProbeKey> StartProbeAsync(string targetServerName, IReadOnlyCollection<IPAddress> targetAddresses, CancellationToken cancellationToken);
}

/// <summary>One ephemeral probe key and what the target did with it.</summary>
public interface IProbeKey
{
    /// <summary>"ed25519:p" followed by random letters and digits.</summary>
    string KeyId { get; }

    /// <summary>The 32-byte Ed25519 public key.</summary>
    ReadOnlyMemory<byte> PublicKey { get; }

    DateTimeOffset StartedAt { get; }

    /// <summary>
    /// The probe was started by an earlier check of the same target (within the last minute) and is reused: the
    /// target may hold the key in its cache already, and the fetches listed include those the earlier check caused.
    /// </summary>
    bool Reused { get; }

    /// <summary>The 64-byte Ed25519 signature of <paramref name="message"/> by the probe key (the private half never leaves the site).</summary>
    byte[] Sign(ReadOnlySpan<byte> message);

    /// <summary>
    /// Requests for our keys attributed to this probe so far, on any instance of the deployment: those that came from
    /// the target's own addresses since the probe started. Oldest first, bounded in number.
    /// </summary>
    Task<IReadOnlyList<InboundKeyRequest>> InboundAsync(CancellationToken cancellationToken);

    /// <summary>
    /// How many other requests for our keys arrived since the probe started (from addresses that are not the
    /// target's). Only a count: whoever sent them, they say nothing about the target.
    /// </summary>
    Task<int> UnattributedAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The check is over: the probe may stop being served once no other check uses it and late fetches had their
    /// time. Never fails the check: when the release cannot be recorded, the probe expires at the end of its lifetime.
    /// </summary>
    Task ReleaseAsync(CancellationToken cancellationToken);
}

/// <summary>One request for our keys, as the site recorded it (every field bounded in length).</summary>
/// <param name="AddressFamily">"IPv4" or "IPv6" (an IPv4-mapped IPv6 address counts as IPv4).</param>
/// <param name="AtMs">Milliseconds from the probe's start to the request's arrival.</param>
public sealed record InboundKeyRequest(
    string RemoteAddress,
    string AddressFamily,
    string? Sni,
    string? Host,
    string? UserAgent,
    string Path,
    long AtMs);
