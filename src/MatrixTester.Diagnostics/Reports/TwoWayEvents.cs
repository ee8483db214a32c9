using MatrixTester.Diagnostics.TwoWay;

namespace MatrixTester.Diagnostics.Reports;

/// <summary>The signed request is about to leave: from now on, every fetch of the probe key was caused by it.</summary>
public sealed record TwoWayWaitingEvent(string Target, string ProbeKeyId) : DiagnosisEvent
{
    public override string Stage => "two-way-waiting";

    /// <summary>The probe comes from a check of the same server within the last minute (one probe per server per minute).</summary>
    public bool Reused { get; init; }

    public override string Summary => EngineText.In(true, Reused ? "event.twoway.waiting_reused" : "event.twoway.waiting");

    public override string Text => EngineText.In(false, Reused ? "event.twoway.waiting_reused" : "event.twoway.waiting");
}

/// <summary>A request for our keys arrived (on any instance) while the probe ran.</summary>
public sealed record TwoWayInboundEvent(InboundKeyRequest Request) : DiagnosisEvent
{
    public override string Stage => "two-way-inbound";

    public override string Summary => Describe(english: true);

    public override string Text => Describe(english: false);

    private string Describe(bool english) => EngineText.In(english, "event.twoway.fetched", ("address", Request.RemoteAddress), ("family", Request.AddressFamily),
        ("agent", string.IsNullOrEmpty(Request.UserAgent) ? "" : $" ({Request.UserAgent})"), ("ms", Request.AtMs));
}

/// <summary>The two-way check finished (or could not run).</summary>
public sealed record TwoWayEvent(TwoWayReport TwoWay) : DiagnosisEvent
{
    public override string Stage => "two-way";

    public override string Summary => TwoWay.Summary;

    public override string Text => TwoWay.Words();
}
