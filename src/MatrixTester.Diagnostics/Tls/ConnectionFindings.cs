using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.Tls;

/// <summary>Why a TCP connection (or the handshake on it) did not happen.</summary>
public static class ConnectionFindings
{
    public static readonly FindingDefinition Refused = new(
        "net.connection_refused", Severity.Error, "Connection refused", "federation-tls#connection-refused",
        "Nothing listens on this address and port. Start the server or reverse proxy, check the port it binds to, " +
        "and check the port in DNS SRV or /.well-known/matrix/server.");

    public static readonly FindingDefinition Reset = new(
        "net.connection_reset", Severity.Error, "Connection reset", "federation-tls#connection-reset",
        "The server (or a firewall in between) closed the connection abruptly. Check its logs and any firewall or " +
        "proxy that filters by SNI or country.");

    public static readonly FindingDefinition Timeout = new(
        "net.timeout", Severity.Error, "Connection timed out", "federation-tls#timeout",
        "Packets are probably dropped by a firewall, or the server is overloaded. Open the port to the internet.");

    public static readonly FindingDefinition Unreachable = new(
        "net.unreachable", Severity.Error, "Address unreachable", "federation-tls#unreachable",
        "There is no route to this address. Check the DNS records (a stale A/AAAA record?) and the server's network.");
}
