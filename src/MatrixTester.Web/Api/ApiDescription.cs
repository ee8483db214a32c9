using System.Text.Json.Serialization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace MatrixTester.Web.Api;

/// <summary>
/// The JSON APIs' common ground: problem details for every refusal, enums as strings (as reports are written), and the
/// OpenAPI document at <c>/openapi/v1.json</c>, which describes the v2 report's schema, the refusals, and the
/// parameters a diagnosis cannot do without.
/// </summary>
public static class ApiDescription
{
    /// <summary>The query parameters that name the server to diagnose: optional to the framework (a missing one is our 400), required to callers.</summary>
    private static readonly string[] ServerParameters = ["server_name", "target"];

    public static IServiceCollection AddSiteApi(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        services.AddOpenApi(options =>
        {
            options.AddOperationTransformer((operation, _, _) =>
            {
                foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
                {
                    if (parameter.In == ParameterLocation.Query && ServerParameters.Contains(parameter.Name))
                    {
                        parameter.Required = true;
                    }
                }
                return Task.CompletedTask;
            });
            // Reports write durations as milliseconds and addresses as text (ReportJson), not as the framework would.
            options.AddSchemaTransformer((schema, context, _) =>
            {
                var type = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type;
                if (type == typeof(TimeSpan))
                {
                    schema.Type = JsonSchemaType.Number;
                    schema.Format = null;
                    schema.Pattern = null;
                    schema.Description = "milliseconds";
                }
                else if (type == typeof(System.Net.IPAddress))
                {
                    schema.Type = JsonSchemaType.String;
                    schema.Properties?.Clear();
                    schema.Description = "an IPv4 or IPv6 address";
                }
                return Task.CompletedTask;
            });
        });
        return services;
    }

    public static IEndpointRouteBuilder MapSiteApiDescription(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi();
        return app;
    }
}
