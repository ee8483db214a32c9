using MatrixTester.Web.Storage;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.Federation;

/// <summary>
/// <c>GET /_matrix/federation/v1/openid/userinfo?access_token=…</c> (spec, server-server API, "OpenID"): answers
/// <c>{"sub": "@matrixtester-…:&lt;us&gt;"}</c> for a live token of a call token check and records the call for it;
/// 401 <c>M_UNKNOWN_TOKEN</c> for any other token, <c>M_MISSING_TOKEN</c> without one. Nothing else is served for it.
/// Besides the per-address federation limit, lookups share one bucket per instance, so a flood of made-up tokens
/// from many addresses costs a bounded number of store reads (beyond it: 429). The token is never logged (query
/// strings are not), and only its hash is looked up.
/// </summary>
public sealed class UserInfoEndpoint(OpenIdStore store, IOptions<FederationOptions> options, TimeProvider time)
{
    public const int MaxTokenLength = 256;

    /// <summary>Store lookups one instance makes at most in a burst, and per second after it.</summary>
    public const int LookupBurst = 50;

    public const int LookupsPerSecond = 25;

    private readonly Lock _bucket = new();
    private double _tokens = LookupBurst;
    private long _filledAt = time.GetTimestamp();

    public async Task<IResult> AnswerAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var arrived = time.GetUtcNow();
        var values = context.Request.Query["access_token"];
        var token = values.Count == 1 ? values[0] : null;
        if (string.IsNullOrEmpty(token))
        {
            return Error(StatusCodes.Status401Unauthorized, "M_MISSING_TOKEN", "Missing access token");
        }
        if (token.Length > MaxTokenLength)
        {
            return Error(StatusCodes.Status401Unauthorized, "M_UNKNOWN_TOKEN", "Unknown token");
        }
        if (!TakeLookup())
        {
            return Error(StatusCodes.Status429TooManyRequests, "M_LIMIT_EXCEEDED", "Too many requests");
        }
        LiveToken? live;
        try
        {
            live = await store.FindAsync(OpenIdIssuer.Hash(token), arrived, context.RequestAborted);
        }
        catch (StoreUnavailableException)
        {
            return Error(StatusCodes.Status503ServiceUnavailable, "M_UNKNOWN", "Temporarily unavailable");
        }
        if (live is null)
        {
            return Error(StatusCodes.Status401Unauthorized, "M_UNKNOWN_TOKEN", "Unknown token");
        }
        var caller = InboundLog.Describe(context, arrived);
        try
        {
            await store.RecordAsync(live, arrived, caller.RemoteAddress, caller.AddressFamily, caller.UserAgent, options.Value.MaxCallbacksPerToken, context.RequestAborted);
        }
        catch (StoreUnavailableException)
        {
            // The user is still confirmed; the check that waits for this call reports the store outage itself.
        }
        return TypedResults.Json(new Dictionary<string, string> { ["sub"] = live.UserId });
    }

    private static Microsoft.AspNetCore.Http.HttpResults.JsonHttpResult<MatrixError> Error(int status, string errcode, string error) => TypedResults.Json(new MatrixError(errcode, error), statusCode: status);

    private sealed record MatrixError(string Errcode, string Error);

    /// <summary>A token bucket on the injected clock: refilled by the time elapsed since the last take.</summary>
    private bool TakeLookup()
    {
        lock (_bucket)
        {
            var now = time.GetTimestamp();
            _tokens = Math.Min(LookupBurst, _tokens + (time.GetElapsedTime(_filledAt, now).TotalSeconds * LookupsPerSecond));
            _filledAt = now;
            if (_tokens < 1)
            {
                return false;
            }
            _tokens -= 1;
            return true;
        }
    }
}
