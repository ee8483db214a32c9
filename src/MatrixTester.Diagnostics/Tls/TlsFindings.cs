using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.Tls;

/// <summary>What can be wrong with a server's TLS: its certificate chain, its name, its protocol.</summary>
public static class TlsFindings
{
    public static readonly FindingDefinition None = new(
        "tls.cert.none", Severity.Error, "No certificate", "tls-certificates#no-certificate",
        "Configure the server (or its reverse proxy) with a certificate for the server name on this port.");

    public static readonly FindingDefinition Expired = new(
        "tls.cert.expired", Severity.Error, "Certificate expired", "tls-certificates#expired",
        "Renew the certificate (e.g. `certbot renew`) and reload the web server or reverse proxy so it serves the new one.");

    public static readonly FindingDefinition NotYetValid = new(
        "tls.cert.not_yet_valid", Severity.Error, "Certificate not yet valid", "tls-certificates#not-yet-valid",
        "Check the server's clock (NTP) and the certificate's start date; serve a certificate that is valid now.");

    public static readonly FindingDefinition ExpiringSoon = new(
        "tls.cert.expiring_soon", Severity.Warning, "Certificate expires soon", "tls-certificates#expiring-soon",
        "Renew the certificate now and make sure automatic renewal (and the reload after it) works.");

    public static readonly FindingDefinition NameMismatch = new(
        "tls.cert.name_mismatch", Severity.Error, "Certificate does not cover the server name", "federation-tls#certificate-name",
        "Get a certificate whose subject alternative names include the expected name. SRV targets do not change the " +
        "expected name: the certificate must cover the server name itself, or the name delegated in /.well-known/matrix/server.");

    public static readonly FindingDefinition IpWithoutIpSan = new(
        "tls.cert.ip_without_ip_san", Severity.Error, "IP-literal server without an IP certificate", "federation-tls#ip-literals",
        "A server named by an IP address must present a certificate with that IP address as an IP subject alternative name. " +
        "Better: give the server a DNS name and a certificate for it (IP-literal servers are often denied by room ACLs).");

    public static readonly FindingDefinition SelfSigned = new(
        "tls.cert.self_signed", Severity.Error, "Self-signed certificate", "tls-certificates#self-signed",
        "Federation needs a certificate from a publicly trusted CA. Get one from Let's Encrypt (certbot, Caddy, Traefik, …).");

    public static readonly FindingDefinition UnknownRoot = new(
        "tls.cert.unknown_root", Severity.Error, "Certificate from an unknown authority", "tls-certificates#unknown-authority",
        "Use a certificate from a publicly trusted CA; private CAs are not trusted by other homeservers.");

    public static readonly FindingDefinition IncompleteChain = new(
        "tls.cert.incomplete_chain", Severity.Error, "Intermediate certificate missing", "tls-certificates#incomplete-chain",
        "Serve the full chain: point the server at fullchain.pem, not cert.pem (nginx `ssl_certificate`, Apache " +
        "`SSLCertificateFile`, Synapse `tls_certificate_path`). Browsers repair this silently; homeservers do not.");

    public static readonly FindingDefinition UnneededInChain = new(
        "tls.cert.unneeded_in_chain", Severity.Warning, "An unneeded, broken certificate in the chain", "tls-certificates#unneeded-in-chain",
        "Remove it from your bundle: serve only your certificate and the intermediates your CA gives you now (e.g. a " +
        "fresh fullchain.pem from certbot), then reload the web server. Peers ignore it, but some clients do not.");

    public static readonly FindingDefinition InvalidChain = new(
        "tls.cert.invalid_chain", Severity.Error, "Certificate chain is invalid", "tls-certificates#invalid-chain",
        "Re-issue the certificate and serve the chain exactly as the CA delivered it.");

    public static readonly FindingDefinition WeakKey = new(
        "tls.cert.weak_key", Severity.Error, "Certificate key too small", "tls-certificates#weak-key",
        "Re-issue the certificate with an RSA key of at least 2048 bits, or an ECDSA P-256 key. OpenSSL at security " +
        "level 2 (the Debian/Ubuntu default) refuses smaller keys.");

    public static readonly FindingDefinition WeakSignature = new(
        "tls.cert.weak_signature", Severity.Error, "Certificate signed with a broken hash", "tls-certificates#weak-signature",
        "Re-issue the certificate; any current CA signs with SHA-256 or better. SHA-1 and MD5 signatures are refused.");

    public static readonly FindingDefinition ProtocolTooOld = new(
        "tls.protocol.too_old", Severity.Error, "Server only offers an obsolete TLS version", "federation-tls#tls-versions",
        "Enable TLS 1.2 and TLS 1.3 on the server or reverse proxy (nginx `ssl_protocols TLSv1.2 TLSv1.3;`).");

    public static readonly FindingDefinition NotTls = new(
        "tls.not_tls", Severity.Error, "Plain HTTP where TLS was expected", "federation-tls#not-tls",
        "Federation uses HTTPS. Make this port speak TLS, or delegate to the port that does (e.g. the reverse proxy on 443).");

    public static readonly FindingDefinition HandshakeFailed = new(
        "tls.handshake_failed", Severity.Error, "TLS handshake failed", "federation-tls#handshake-failed",
        "Check the TLS configuration of the server or reverse proxy on this port (certificate, key, protocols, ciphers).");
}
