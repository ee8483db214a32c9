namespace MatrixTester.Diagnostics.TwoWay;

/// <summary>
/// <see cref="IFederationIdentity.StartProbeAsync"/> could not start a probe: the shared store that every instance
/// serves probe keys from is not answering, or too many probes are running. Nothing was started, no key is served;
/// the two-way check reports it (the rest of the diagnosis is unaffected). Any other exception is a bug. The message
/// completes "Skipped: …" on the page, in plain words, without a final period, and says when trying again makes sense.
/// </summary>
public sealed class ProbeUnavailableException(string message, TimeSpan retryAfter, Exception? innerException = null)
    : Exception(message, innerException)
{
    /// <summary>When trying again makes sense.</summary>
    public TimeSpan RetryAfter { get; } = retryAfter;
}
