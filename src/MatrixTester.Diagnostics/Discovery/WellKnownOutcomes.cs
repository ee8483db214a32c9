namespace MatrixTester.Diagnostics.Discovery;

/// <summary>What a well-known outcome means, in a few words a person reads ("no answer in time", "not valid JSON").</summary>
public static class WellKnownOutcomes
{
    /// <summary>In English, as findings and reports keep it.</summary>
    public static string Describe(this WellKnownOutcome outcome) => EngineText.English(Key(outcome));

    /// <summary>In the reader's language (the current UI culture).</summary>
    public static string Words(this WellKnownOutcome outcome) => EngineText.Get(Key(outcome));

    private static string Key(WellKnownOutcome outcome) => "outcome.wellknown." + (outcome switch
    {
        WellKnownOutcome.Delegated => "Delegated",
        WellKnownOutcome.NotFound => "NotFound",
        WellKnownOutcome.NotApplicable => "NotApplicable",
        WellKnownOutcome.NoAddress => "NoAddress",
        WellKnownOutcome.ConnectionFailed => "ConnectionFailed",
        WellKnownOutcome.CertificateInvalid => "CertificateInvalid",
        WellKnownOutcome.Timeout => "Timeout",
        WellKnownOutcome.HttpError => "HttpError",
        WellKnownOutcome.TooLarge => "TooLarge",
        WellKnownOutcome.InvalidJson => "InvalidJson",
        WellKnownOutcome.NotAnObject => "NotAnObject",
        WellKnownOutcome.MissingMServer => "MissingMServer",
        WellKnownOutcome.InvalidMServer => "InvalidMServer",
        WellKnownOutcome.EmptyMServer => "EmptyMServer",
        WellKnownOutcome.TooManyRedirects => "TooManyRedirects",
        WellKnownOutcome.RedirectLoop => "RedirectLoop",
        WellKnownOutcome.BadRedirect => "BadRedirect",
        WellKnownOutcome.NonAsciiMServer => "NonAsciiMServer",
        _ => "Other",
    });
}
