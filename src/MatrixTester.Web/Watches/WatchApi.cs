using System.Text.Json.Serialization;
using MatrixTester.Web.Abuse;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace MatrixTester.Web.Watches;

/// <summary>The JSON body of <c>POST /api/v2/watches</c>.</summary>
public sealed record WatchRequestJson(
    [property: JsonPropertyName("server_name")] string? ServerName,
    [property: JsonPropertyName("email")] string? Email,
    [property: JsonPropertyName("webhook")] string? Webhook);

public sealed record WatchesCreated(
    [property: JsonPropertyName("server_name")] string ServerName,
    [property: JsonPropertyName("watches")] IReadOnlyList<CreatedWatchJson> Watches);

public sealed record CreatedWatchJson(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("secret"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Secret,
    [property: JsonPropertyName("unsubscribe_url")] string UnsubscribeUrl);

public static class WatchApi
{
    public static IEndpointRouteBuilder MapWatches(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v2/watches", CreateAsync).WithTags("v2").RequireRateLimit(WatchServices.CreateLimit).RefuseCrossSite()
            .WithSummary("Watch a server name: an email (confirmed by a link first) and/or a webhook (active once it answered the verification request sent while this call runs; its HMAC secret is in this answer only). JSON body only; requests a browser sends from another site's page get 403.");
        return app;
    }

    private static async Task<Results<Created<WatchesCreated>, ProblemHttpResult>> CreateAsync(
        [FromBody] WatchRequestJson? body, WatchSubscriptions subscriptions, CancellationToken cancellationToken)
    {
        var outcome = await subscriptions.CreateAsync(new WatchRequest(body?.ServerName, body?.Email, body?.Webhook), cancellationToken);
        if (outcome.Problem is { } problem)
        {
            return TypedResults.Problem(problem, statusCode: outcome.Status, title: "The watch was not created");
        }
        var watches = outcome.Created.Select(w => new CreatedWatchJson(w.Id, w.Kind, w.Status, w.Secret, w.UnsubscribeUrl)).ToArray();
        return TypedResults.Created($"/s/{outcome.ServerName}", new WatchesCreated(outcome.ServerName!, watches));
    }
}
