using MatrixTester.Diagnostics.Client;
using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Reports;

namespace MatrixTester.Diagnostics.Reading;

/// <summary>
/// How clients log in (docs/login.md): OAuth 2.0 / OIDC, the classic login API (normal, not a problem), or an announced
/// OAuth 2.0 login clients cannot complete. Its own verdict, never part of the federation one; <see cref="State"/> is
/// the report's <c>auth.status</c>, the counts are the login findings (<see cref="ReportPart.Login"/>).
/// </summary>
public sealed record LoginVerdict(AuthStatus State, int Errors, int Warnings, string? Issuer, string Summary)
{
    public Tone Tone => State switch
    {
        AuthStatus.Oidc => Tone.Good,
        AuthStatus.Broken => Tone.Bad,
        _ => Tone.Neutral,
    };

    /// <summary>Null when the report has no login record: not checked (no client API, out of time), or stored before the check existed.</summary>
    public static LoginVerdict? Of(DiagnosisReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.Auth is not { } auth)
        {
            return null;
        }
        var findings = report.Findings.InPart(ReportPart.Login).ToList();
        return new LoginVerdict(auth.Status, findings.Count(f => f.Severity == Severity.Error), findings.Count(f => f.Severity == Severity.Warning), auth.Issuer, auth.Summary);
    }
}
