using System.Globalization;
using MatrixTester.Diagnostics.Federation;
using MatrixTester.Diagnostics.TwoWay;

namespace MatrixTester.Web.ReportViews;

/// <summary>One HTTP request as it went out and came back.</summary>
public sealed record RequestRow(string Method, string Url, string Address, string Host, string Sni, string Status, bool Failed, string Time, string? Connection);

/// <summary>The requests of one part of a diagnosis, in the order they were sent.</summary>
public static class RequestTable
{
    public static IReadOnlyList<RequestRow> From(IEnumerable<HttpExchange> exchanges)
    {
        ArgumentNullException.ThrowIfNull(exchanges);
        return [.. exchanges.OrderBy(e => e.StartedAt).Select(e => Row(e, e.Status is >= 400))];
    }

    /// <summary>
    /// Requests that ask whether something is there, where a 4xx is an expected answer (a token route that takes only
    /// POST answers 405, a path not enabled 404, the userinfo route without a token 401): only a request that got no
    /// answer or a server error is marked failed.
    /// </summary>
    public static IReadOnlyList<RequestRow> FromProbes(IEnumerable<HttpExchange> exchanges)
    {
        ArgumentNullException.ThrowIfNull(exchanges);
        return [.. exchanges.OrderBy(e => e.StartedAt).Select(e => Row(e, e.Status is >= 500))];
    }

    /// <summary>A request the report names no method for is a GET (the calls check's CORS preflight is an OPTIONS).</summary>
    private static RequestRow Row(HttpExchange e, bool failedStatus) => new(
        e.Method ?? "GET", e.Url, Address(e), e.HostHeader, e.Sni ?? "none", DetailWords.Status(e),
        e.Failure != ExchangeFailure.None || e.Status is null || failedStatus, DetailWords.Duration(e.Duration),
        e.NewConnection ? SiteText.Format("detail.request.new_connection", DetailWords.Duration(e.ConnectTime), DetailWords.Duration(e.TlsTime)) : null);

    private static string Address(HttpExchange e) => e.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
        ? string.Create(CultureInfo.InvariantCulture, $"[{e.Address}]:{e.Port}")
        : string.Create(CultureInfo.InvariantCulture, $"{e.Address}:{e.Port}");

    /// <summary>The two-way check's own requests: what was sent and what came back (the report keeps no timing for them).</summary>
    public static IReadOnlyList<RequestRow> From(TwoWayReport twoWay)
    {
        ArgumentNullException.ThrowIfNull(twoWay);
        var rows = new List<RequestRow>();
        if (twoWay.SignedRequest is { } signed)
        {
            rows.Add(Sent(signed.SignedMethod, signed.Url, signed.Status, signed.Errcode, signed.Error, signed.TimedOut, SiteText.Get("detail.request.signed")));
        }
        if (twoWay.ControlRequest is { } control)
        {
            rows.Add(Sent("GET", control.Url, control.Status, control.Errcode, control.Error, control.TimedOut, SiteText.Get("detail.request.wrong_signature")));
        }
        if (twoWay.Notary is { } notary)
        {
            rows.Add(Sent(notary.Method, notary.Url, notary.Status, notary.Errcode, null, false, SiteText.Get("detail.request.notary")));
        }
        return rows;
    }

    private static RequestRow Sent(string method, string url, int? status, string? errcode, string? error, bool timedOut, string what)
    {
        var answer = status is { } s ? string.Create(CultureInfo.InvariantCulture, $"{s}{(errcode is null ? "" : " " + errcode)}")
            : timedOut ? SiteText.Get("detail.request.no_answer_in_time") : error ?? SiteText.Get("twoway.no_answer");
        return new RequestRow(method, url, DetailWords.None, DetailWords.None, DetailWords.None, answer, status is null, DetailWords.None, what);
    }
}
