using System.Reflection;
using MatrixTester.Web.Abuse;
using MatrixTester.Web.Storage;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.Federation;

/// <summary>
/// The federation endpoints a peer needs to verify our signed requests (spec, server-server API): our keys, our
/// version, and <c>M_UNRECOGNIZED</c> for everything else under <c>/_matrix/</c> (all of it when no identity is
/// configured). All rate limited per client address (<see cref="FederationServices.RateLimit"/>).
/// </summary>
public static class FederationEndpoints
{
    public static WebApplication MapFederation(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<FederationOptions>>().Value;
        var matrix = app.MapGroup("/_matrix").RequireRateLimit(FederationServices.RateLimit);
        if (options.ServerName is not null)
        {
            // Spec: the {keyId} form is deprecated and servers answer it with every key, as Synapse does.
            matrix.MapGet("/key/v2/server", (ServedKeys keys, KeyFetchLog log, FetchTally tally, TimeProvider time, HttpContext context) =>
                KeysAsync(keys, log, tally, time, options, context));
            matrix.MapGet("/key/v2/server/{keyId}", (ServedKeys keys, KeyFetchLog log, FetchTally tally, TimeProvider time, HttpContext context) =>
                KeysAsync(keys, log, tally, time, options, context));
            matrix.MapGet("/federation/v1/version", () => TypedResults.Json(new { server = new { name = "MatrixTester", version = Version } }));
            // The call token check's test users: the authorization service verifies them here (docs/calls.md).
            matrix.MapGet("/federation/v1/openid/userinfo", (UserInfoEndpoint userInfo, HttpContext context) => userInfo.AnswerAsync(context));
        }
        matrix.Map("/{**rest}", () => TypedResults.Json(new { errcode = "M_UNRECOGNIZED", error = "Unrecognized request" }, statusCode: StatusCodes.Status404NotFound));
        if (options.WellKnownServer is { } server)
        {
            app.MapGet("/.well-known/matrix/server", () => TypedResults.Json(new Dictionary<string, string> { ["m.server"] = server }))
                .RequireRateLimit(FederationServices.RateLimit);
        }
        return app;
    }

    /// <summary>The site's informational version (with the commit, when the build knew it).</summary>
    public static string Version { get; } =
        typeof(FederationEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <summary>
    /// Serves the key set and notes the fetch for the probes: kept (one row) when it comes from an active probe's
    /// target, counted in memory otherwise. Nothing is written for a fetch from anyone else, however many there are.
    /// </summary>
    private static async Task<IResult> KeysAsync(ServedKeys keys, KeyFetchLog log, FetchTally tally, TimeProvider time, FederationOptions options, HttpContext context)
    {
        var arrived = time.GetUtcNow();
        var (body, probes) = await keys.GetAsync(context.RequestAborted);
        if (probes.Count > 0)
        {
            tally.Add(arrived);
            var request = InboundLog.Describe(context, arrived);
            if (InboundLog.IsTargetOfAny(request.Source, probes) && !log.IsFull(request.Source, arrived))
            {
                try
                {
                    if (!await log.RecordAsync(request, options.MaxInboundPerProbe, context.RequestAborted))
                    {
                        log.MarkFull(request.Source, arrived);
                    }
                }
                catch (StoreUnavailableException)
                {
                    // The keys are still served; the probe that waits for this fetch reports the store outage itself.
                }
            }
        }
        return TypedResults.Bytes(body, "application/json");
    }
}
