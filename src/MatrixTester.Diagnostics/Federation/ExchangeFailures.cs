namespace MatrixTester.Diagnostics.Federation;

/// <summary>Why a request got no usable response, in a few words a person reads.</summary>
public static class ExchangeFailures
{
    /// <summary>In English, as findings and reports keep it.</summary>
    public static string Describe(this ExchangeFailure failure) => EngineText.English(Key(failure));

    /// <summary>In the reader's language (the current UI culture).</summary>
    public static string Words(this ExchangeFailure failure) => EngineText.Get(Key(failure));

    private static string Key(ExchangeFailure failure) => "outcome.exchange." + (failure switch
    {
        ExchangeFailure.None => "None",
        ExchangeFailure.AddressRefused => "AddressRefused",
        ExchangeFailure.ConnectRefused => "ConnectRefused",
        ExchangeFailure.ConnectTimeout => "ConnectTimeout",
        ExchangeFailure.Unreachable => "Unreachable",
        ExchangeFailure.ConnectFailed => "ConnectFailed",
        ExchangeFailure.TlsHandshakeFailed => "TlsHandshakeFailed",
        ExchangeFailure.CertificateRejected => "CertificateRejected",
        ExchangeFailure.Timeout => "Timeout",
        ExchangeFailure.ConnectionReset => "ConnectionReset",
        ExchangeFailure.ProtocolError => "ProtocolError",
        ExchangeFailure.BodyTooLarge => "BodyTooLarge",
        _ => "Other",
    });
}
