using System.Net;

namespace MatrixTester.Lab.Peer;

/// <summary>How to start a <see cref="LabFederationPeer"/>. The defaults give a healthy homeserver on :8448.</summary>
public sealed record LabPeerOptions
{
    public PeerFault Fault { get; init; } = PeerFault.None;

    /// <summary>The peer's signing key id (its seed is random per peer).</summary>
    public string KeyId { get; init; } = "ed25519:peer1";

    /// <summary>The federation port the peer listens on (and is found on through DNS alone, so 8448).</summary>
    public int Port { get; init; } = 8448;

    /// <summary>The address outbound connections leave from with <see cref="PeerFault.FetchesFromOtherAddress"/>;
    /// null: a new lab address.</summary>
    public IPAddress? OtherAddress { get; init; }

    /// <summary>Bound on one key fetch or verification inside the peer.</summary>
    public TimeSpan VerifyTimeout { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>How long node may take to load the SDK and listen (slow on a busy 2-core machine).</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
