namespace MatrixTester.Lab.Rtc;

/// <summary>What is wrong with the lab's MatrixRTC stand-ins (tests/lab-rtc): the failures the call token check must tell apart.</summary>
[Flags]
public enum RtcFault
{
    None = 0,

    /// <summary>Every outbound connection of the authorization service is refused (egress firewall): it cannot call
    /// anybody's userinfo endpoint, so it refuses every user with 401 <c>M_UNAUTHORIZED</c>.</summary>
    EgressBlocked = 1,

    /// <summary>The SFU has another API secret than the service: it refuses the service's tokens (401).</summary>
    KeyMismatch = 2,

    /// <summary>The service hands out <c>ws://localhost:7880</c>, the default of one never configured for the public.</summary>
    LocalhostUrl = 4,

    /// <summary>An older service: no <c>/get_token</c> (404), only the legacy <c>/sfu/get</c>.</summary>
    LegacyOnly = 8,
}
