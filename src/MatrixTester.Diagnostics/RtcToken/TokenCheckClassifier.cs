using System.Globalization;
using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.RtcToken;

/// <summary>
/// From what each authorization service did to the check's verdict and findings. A refusal without a call to our
/// userinfo endpoint means the service never asked us about our user: its way out (DNS, egress, CA bundle) is
/// broken. A refusal after it asked is something else, and said so. The SFU's 401 means it does not share the
/// service's LiveKit key and secret.
/// </summary>
internal static class TokenCheckClassifier
{
    public static TokenCheckReport Classify(IReadOnlyList<ServiceTokenReport> services, string us)
    {
        var findings = services.Select(s => FindingFor(s, us)).OfType<Finding>().ToArray();
        var works = services.Where(s => s.Outcome == "Works").ToArray();
        var status = findings.Length > 0 ? TokenCheckStatus.Broken : works.Length > 0 ? TokenCheckStatus.Works : TokenCheckStatus.Skipped;
        var summary = status switch
        {
            TokenCheckStatus.Broken => findings[0].Summary,
            TokenCheckStatus.Works => $"Your call authorization service verified our test user with our server and gave it a token your SFU accepts ({works[0].SfuUrl})",
            _ => services.Count == 0
                ? "Skipped: no call authorization service to ask"
                : $"Skipped: the call authorization service at {services[0].ServiceUrl} could not be asked ({services[0].Error ?? "no answer"})",
        };
        return new TokenCheckReport(status, services.Any(s => s.Callbacks.Count > 0), services.Select(s => s.SfuUrl).FirstOrDefault(u => u is not null))
        {
            Summary = summary,
            Services = services,
            Findings = findings,
        };
    }

    private static Finding? FindingFor(ServiceTokenReport s, string us)
    {
        var answer = s.Status is { } status ? $"{status.ToString(CultureInfo.InvariantCulture)}{(s.Errcode is null ? "" : " " + s.Errcode)}" : "no answer";
        var asked = $"We asked {s.ServiceUrl}{s.Endpoint} for a call token for our test user {s.UserId}";
        var called = s.Callbacks.Count > 0
            ? $"It called our userinfo endpoint {Times(s.Callbacks.Count)} (first from {s.Callbacks[0].RemoteAddress} after {s.Callbacks[0].AtMs} ms)."
            : "";
        return s.Outcome switch
        {
            "Refused" => TokenCheckFindings.ServiceCannotVerify.Create(
                Phrase.Of("rtc.service_cannot_verify.Summary", ("answer", answer)), null, s.ServiceUrl,
                rawDetail: $"{asked}, with an OpenID token our server {us} issued. To verify it the service must resolve {us} as a Matrix server and call GET /_matrix/federation/v1/openid/userinfo there; it never did, and answered {answer}. So it cannot verify anyone from another server, and probably not your own users either: its outbound federation, DNS or CA bundle is broken. Its answer starts: {s.ErrorBody}"),
            "Failed" => TokenCheckFindings.ServiceError.Create(
                Phrase.Of("rtc.service_error.Summary", ("answer", answer)), null, s.ServiceUrl,
                rawDetail: $"{asked}. {called} Its answer starts: {s.ErrorBody}".Replace("  ", " ", StringComparison.Ordinal)),
            "InvalidAnswer" => TokenCheckFindings.TokenInvalid.Create(
                new Phrase("rtc.token_invalid.Summary"), null, s.ServiceUrl,
                rawDetail: $"{asked}. {called} {s.Error ?? "The answer is not JSON with url and jwt."} {(s.ErrorBody is null ? "" : $"It starts: {s.ErrorBody}")}".Trim()),
            "SfuNotPublic" => Client.RtcFindings.SfuUrlNotPublic.Create(
                Phrase.Of("rtc.sfu_url_not_public.ServiceSummary", ("url", s.SfuUrl)), null, s.ServiceUrl,
                rawDetail: $"{asked}. {called} It gave a token for the SFU at {s.SfuUrl}: {s.Error}"),
            "SfuRefused" => TokenCheckFindings.SfuKeyMismatch.Create(
                new Phrase("rtc.sfu_key_mismatch.Summary"), null, s.SfuUrl,
                rawDetail: $"{asked}. {called} The SFU at {s.SfuUrl} answered {s.SfuValidation?.Url} with 401 {s.SfuValidation?.Body}: the token's signature does not verify with the SFU's key and secret, so nobody can join a call."),
            "SfuUnreachable" => TokenCheckFindings.SfuUnreachable.Create(
                Phrase.Of("rtc.sfu_unreachable.Summary", ("url", s.SfuUrl)), null, s.SfuUrl,
                rawDetail: $"{asked}. {called} Asking the SFU ({s.SfuValidation?.Url ?? s.SfuUrl}) whether it accepts the token gave {(s.SfuValidation?.Status is { } v ? $"{v.ToString(CultureInfo.InvariantCulture)} {s.SfuValidation.Body}" : s.SfuValidation?.Error ?? s.Error)}."),
            _ => null,
        };
    }

    private static string Times(int n) => n == 1 ? "once" : string.Create(CultureInfo.InvariantCulture, $"{n} times");
}
