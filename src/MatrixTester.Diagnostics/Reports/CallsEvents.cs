using MatrixTester.Diagnostics.Client;

namespace MatrixTester.Diagnostics.Reports;

/// <summary>The calls (MatrixRTC) readiness checks finished (never part of the federation verdict).</summary>
public sealed record MatrixRtcEvent(MatrixRtcReport MatrixRtc) : DiagnosisEvent
{
    public override string Stage => "calls";

    public override string Summary => MatrixRtc.Summary;
}

/// <summary>The login (OAuth 2.0 / OIDC) checks finished (never part of the federation verdict).</summary>
public sealed record AuthEvent(AuthReport Auth) : DiagnosisEvent
{
    public override string Stage => "login";

    public override string Summary => Auth.Summary;
}
