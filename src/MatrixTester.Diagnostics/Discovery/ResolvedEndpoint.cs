using System.Net;
using System.Net.Sockets;
using System.Text.Json.Serialization;
using MatrixTester.Diagnostics.DnsLookup;

namespace MatrixTester.Diagnostics.Discovery;

/// <summary>The rows of the spec's "Resolving server names" table (server-server API, steps 1–6 and 3.1–3.5).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DiscoveryStep>))]
public enum DiscoveryStep
{
    /// <summary>Step 1: the server name is an IP literal.</summary>
    IpLiteral,
    /// <summary>Step 2: a host name with an explicit port.</summary>
    ExplicitPort,
    /// <summary>Step 3.1: well-known delegates to an IP literal.</summary>
    WellKnownIpLiteral,
    /// <summary>Step 3.2: well-known delegates to a host with an explicit port.</summary>
    WellKnownExplicitPort,
    /// <summary>Step 3.3: well-known delegates to a host; _matrix-fed._tcp SRV of the delegated host.</summary>
    WellKnownSrv,
    /// <summary>Step 3.4 (deprecated): well-known delegates to a host; _matrix._tcp SRV of the delegated host.</summary>
    WellKnownDeprecatedSrv,
    /// <summary>Step 3.5: well-known delegates to a host without SRV records; port 8448.</summary>
    WellKnownDefaultPort,
    /// <summary>Step 4: no valid well-known; _matrix-fed._tcp SRV of the server name.</summary>
    Srv,
    /// <summary>Step 5 (deprecated): no valid well-known; _matrix._tcp SRV of the server name.</summary>
    DeprecatedSrv,
    /// <summary>Step 6: no well-known, no SRV; the server name's addresses on port 8448.</summary>
    DefaultPort,
}

public static class DiscoverySteps
{
    public static string Number(this DiscoveryStep step) => step switch
    {
        DiscoveryStep.IpLiteral => "1",
        DiscoveryStep.ExplicitPort => "2",
        DiscoveryStep.WellKnownIpLiteral => "3.1",
        DiscoveryStep.WellKnownExplicitPort => "3.2",
        DiscoveryStep.WellKnownSrv => "3.3",
        DiscoveryStep.WellKnownDeprecatedSrv => "3.4",
        DiscoveryStep.WellKnownDefaultPort => "3.5",
        DiscoveryStep.Srv => "4",
        DiscoveryStep.DeprecatedSrv => "5",
        _ => "6",
    };

    /// <summary>The step in English, as reports keep it.</summary>
    public static string Describe(this DiscoveryStep step) => EngineText.English(Key(step));

    /// <summary>The step in the reader's language.</summary>
    public static string Words(this DiscoveryStep step) => EngineText.Get(Key(step));

    private static string Key(DiscoveryStep step) => "step." + (step is >= DiscoveryStep.IpLiteral and <= DiscoveryStep.DefaultPort ? step.ToString() : "DefaultPort");
}

/// <summary>
/// One place other homeservers would connect to, with everything that differs by discovery step: the address and
/// port dialled, the Host header sent, the name the certificate must be valid for (also the SNI, unless it is an
/// IP address), the step that produced it, and the SRV target it came through, if any.
/// </summary>
public sealed record ResolvedEndpoint(
    [property: JsonConverter(typeof(IPAddressJsonConverter))] IPAddress Address,
    int Port,
    string HostHeader,
    string TlsName,
    DiscoveryStep Step,
    string? SrvTarget = null)
{
    /// <summary>"ip:port", IPv6 bracketed: the key used in reports.</summary>
    public string Key => Address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{Address}]:{Port}" : $"{Address}:{Port}";

    public bool IsIPv6 => Address.AddressFamily == AddressFamily.InterNetworkV6;

    public string StepNumber => Step.Number();

    [JsonIgnore]
    public IPEndPoint EndPoint => new(Address, Port);
}
