namespace MatrixTester.Diagnostics.Federation;

/// <summary>Why a request got no usable response, in a few words a person reads.</summary>
public static class ExchangeFailures
{
    public static string Describe(this ExchangeFailure failure) => failure switch
    {
        ExchangeFailure.None => "no failure",
        ExchangeFailure.AddressRefused => "not a public address: not contacted",
        ExchangeFailure.ConnectRefused => "connection refused",
        ExchangeFailure.ConnectTimeout => "connection timed out",
        ExchangeFailure.Unreachable => "address unreachable",
        ExchangeFailure.ConnectFailed => "connection failed",
        ExchangeFailure.TlsHandshakeFailed => "TLS handshake failed",
        ExchangeFailure.CertificateRejected => "certificate rejected",
        ExchangeFailure.Timeout => "no answer in time",
        ExchangeFailure.ConnectionReset => "connection closed early",
        ExchangeFailure.ProtocolError => "not valid HTTP",
        ExchangeFailure.BodyTooLarge => "response too large",
        _ => "failed",
    };
}
