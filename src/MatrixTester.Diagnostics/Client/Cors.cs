using MatrixTester.Diagnostics.Federation;
using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.Client;

/// <summary>
/// How an answer lets browsers read it (Fetch standard, "CORS check"): exactly one <c>Access-Control-Allow-Origin</c>
/// whose value is <c>*</c> or the page's origin. Repeated header fields reach a report combined with ", " (RFC 9110
/// section 5.3), and a valid value never contains a comma, so a comma means the header came twice or carried two values.
/// </summary>
public static class Cors
{
    public static CorsOutcome Read(HttpExchange exchange)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        if (exchange.Failure != ExchangeFailure.None || exchange.Status is null)
        {
            return CorsOutcome.NotChecked;
        }
        var value = exchange.Header("access-control-allow-origin")?.Trim();
        return value switch
        {
            null or "" => CorsOutcome.Missing,
            _ when value.Contains(',', StringComparison.Ordinal) => CorsOutcome.Duplicated,
            "*" => CorsOutcome.Ok,
            _ => CorsOutcome.SingleOrigin,
        };
    }

    /// <summary>
    /// The client finding for a document web clients read (the client well-known and each redirect to it, the client
    /// API, the login metadata): none when it sends <c>Access-Control-Allow-Origin: *</c> once.
    /// </summary>
    public static Finding? ClientFinding(HttpExchange exchange, string what, string subject)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        var value = exchange.Header("access-control-allow-origin");
        return Read(exchange) switch
        {
            CorsOutcome.Missing => ClientFindings.CorsMissing.Create($"{what} has no Access-Control-Allow-Origin header",
                $"{exchange.Url} answered without CORS headers, so browsers block web clients from reading it.", subject),
            CorsOutcome.SingleOrigin => ClientFindings.CorsMissing.Create($"{what} allows only the origin {value}",
                $"{exchange.Url} answered Access-Control-Allow-Origin: {value}, so web clients served from any other address are blocked.", subject),
            CorsOutcome.Duplicated => ClientFindings.CorsDuplicated.Create($"{what} sends Access-Control-Allow-Origin twice",
                $"{exchange.Url} answered Access-Control-Allow-Origin: {value}. Browsers accept exactly one value and block web clients otherwise.", subject),
            _ => null,
        };
    }
}
