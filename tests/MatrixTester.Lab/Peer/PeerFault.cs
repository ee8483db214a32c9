namespace MatrixTester.Lab.Peer;

/// <summary>
/// What is wrong with a lab peer (tests/lab-peer): the failures the two-way check must tell apart.
/// Flags, so a scenario can combine them.
/// </summary>
[Flags]
public enum PeerFault
{
    None = 0,

    /// <summary>Every outbound connection of the peer is refused (egress firewall): X-Matrix verification fails with
    /// 401 because the origin's key cannot be fetched, and the notary answers <c>{"server_keys": []}</c>.</summary>
    OutboundBlocked = 1,

    /// <summary>A reverse proxy that does not pass <c>Authorization</c> on: signed requests get 401
    /// "Missing Authorization headers", and no key is fetched.</summary>
    DropsAuthorization = 2,

    /// <summary>A reverse proxy that changes the request-target the homeserver sees (percent-escapes decoded, or the
    /// path doubled when there are none): the key is fetched, then the signature fails (401).</summary>
    RewritesPath = 4,

    /// <summary>No notary API (Conduit family): <c>/_matrix/key/v2/query…</c> → 404 <c>M_UNRECOGNIZED</c>.</summary>
    NoNotary = 8,

    /// <summary>Outbound connections leave from <see cref="LabFederationPeer.OtherAddress"/> instead of the peer's own
    /// address, as if a trusted key server fetched the key.</summary>
    FetchesFromOtherAddress = 16,

    /// <summary>Not a homeserver behind the keys: it serves its keys and version, and answers every other request,
    /// signed or not, with 404 <c>M_NOT_FOUND</c> without checking anything or fetching any key (a placeholder, a
    /// catch-all proxy rule).</summary>
    Stub = 32,
}

internal static class PeerFaultNames
{
    /// <summary>The peer's <c>--fault</c> value: comma-separated names.</summary>
    public static string ToArgument(this PeerFault fault) => string.Join(',', Names(fault));

    private static IEnumerable<string> Names(PeerFault fault)
    {
        if (fault.HasFlag(PeerFault.OutboundBlocked)) yield return "outbound-blocked";
        if (fault.HasFlag(PeerFault.DropsAuthorization)) yield return "drops-authorization";
        if (fault.HasFlag(PeerFault.RewritesPath)) yield return "rewrites-path";
        if (fault.HasFlag(PeerFault.NoNotary)) yield return "no-notary";
        if (fault.HasFlag(PeerFault.FetchesFromOtherAddress)) yield return "fetches-from-other-address";
        if (fault.HasFlag(PeerFault.Stub)) yield return "stub";
    }
}
