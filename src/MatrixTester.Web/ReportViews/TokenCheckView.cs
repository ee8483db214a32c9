using System.Globalization;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Diagnostics.RtcToken;

namespace MatrixTester.Web.ReportViews;

/// <summary>
/// The call token check as the page shows it: each call of our userinfo endpoint in the same words the live view used
/// (so a permalink reads like the live run without JavaScript), and each service's answer in a line. The chip and
/// the verdict come from the reading.
/// </summary>
public sealed record TokenCheckView(TokenCheckReport Report, IReadOnlyList<string> Callbacks, IReadOnlyList<string> Services)
{
    public static TokenCheckView? From(TokenCheckReport? report) => report is null
        ? null
        : new TokenCheckView(report,
            [.. report.Services.SelectMany(s => s.Callbacks).Select(TokenCheckCallbackEvent.Describe)],
            [.. report.Services.Select(ServiceLine)]);

    private static string ServiceLine(ServiceTokenReport service)
    {
        var answer = service.Status is { } status
            ? SiteText.Format("calls.line.answered", $"{status.ToString(CultureInfo.InvariantCulture)}{(service.Errcode is { } code ? " " + code : "")}")
            : SiteText.Format("calls.line.not_asked", service.Error ?? SiteText.Get("calls.no_answer"));
        var sfu = service.SfuValidation switch
        {
            { Status: { } validated } v => SiteText.Format("calls.line.sfu_answered", v.Url, validated.ToString(CultureInfo.InvariantCulture)),
            { } v => SiteText.Format("calls.line.sfu_failed", v.Url, v.Error),
            null => "",
        };
        return $"{service.ServiceUrl.TrimEnd('/')}{service.Endpoint} {answer}{sfu}";
    }
}
