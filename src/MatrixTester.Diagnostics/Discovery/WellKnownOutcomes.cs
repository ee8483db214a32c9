namespace MatrixTester.Diagnostics.Discovery;

/// <summary>What a well-known outcome means, in a few words a person reads ("no answer in time", "not valid JSON").</summary>
public static class WellKnownOutcomes
{
    public static string Describe(this WellKnownOutcome outcome) => outcome switch
    {
        WellKnownOutcome.Delegated => "delegates",
        WellKnownOutcome.NotFound => "not found (404)",
        WellKnownOutcome.NotApplicable => "not used for this server name",
        WellKnownOutcome.NoAddress => "no usable address to fetch it from",
        WellKnownOutcome.ConnectionFailed => "the connection failed",
        WellKnownOutcome.CertificateInvalid => "its certificate is not valid",
        WellKnownOutcome.Timeout => "no answer in time",
        WellKnownOutcome.HttpError => "an HTTP error",
        WellKnownOutcome.TooLarge => "the answer is too large",
        WellKnownOutcome.InvalidJson => "not valid JSON",
        WellKnownOutcome.NotAnObject => "not a JSON object",
        WellKnownOutcome.MissingMServer => "no m.server in it",
        WellKnownOutcome.InvalidMServer => "m.server is not a valid server name",
        WellKnownOutcome.EmptyMServer => "m.server is empty",
        WellKnownOutcome.TooManyRedirects => "too many redirects",
        WellKnownOutcome.RedirectLoop => "a redirect loop",
        WellKnownOutcome.BadRedirect => "an unusable redirect",
        WellKnownOutcome.NonAsciiMServer => "m.server has non-ASCII characters",
        _ => "unusable",
    };
}
