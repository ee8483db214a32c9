using MatrixTester.Diagnostics.TwoWay;

namespace MatrixTester.Diagnostics.Reports;

/// <summary>The signed request is about to leave: from now on, every fetch of the probe key was caused by it.</summary>
public sealed record TwoWayWaitingEvent(string Target, string ProbeKeyId) : DiagnosisEvent
{
    public override string Stage => "two-way-waiting";

    /// <summary>The probe comes from a check of the same server within the last minute (one probe per server per minute).</summary>
    public bool Reused { get; init; }

    public override string Summary => Reused
        ? "Waiting for your server to contact us… (reusing the probe key of a check of this server less than a minute ago; the fetches it caused are listed too)"
        : "Waiting for your server to contact us…";
}

/// <summary>A request for our keys arrived (on any instance) while the probe ran.</summary>
public sealed record TwoWayInboundEvent(InboundKeyRequest Request) : DiagnosisEvent
{
    public override string Stage => "two-way-inbound";

    public override string Summary =>
        $"Your server fetched our key from {Request.RemoteAddress} over {Request.AddressFamily}{(string.IsNullOrEmpty(Request.UserAgent) ? "" : $" ({Request.UserAgent})")} after {Request.AtMs} ms";
}

/// <summary>The two-way check finished (or could not run).</summary>
public sealed record TwoWayEvent(TwoWayReport TwoWay) : DiagnosisEvent
{
    public override string Stage => "two-way";

    public override string Summary => TwoWay.Summary;
}
