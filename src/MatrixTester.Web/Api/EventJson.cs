using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using MatrixTester.Diagnostics.Reports;

namespace MatrixTester.Web.Api;

/// <summary>
/// ReportJson.Options for streamed events. <see cref="ServerNameEvent"/>'s <c>Kind</c> (DNS name / IP literal)
/// would serialize as "kind" and collide with the event discriminator, which System.Text.Json refuses; here it is
/// written as "nameKind". A no-op once the engine names that property differently.
/// </summary>
internal static class EventJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(ReportJson.Options)
        {
            TypeInfoResolver = (ReportJson.Options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(info =>
            {
                if (info.Type == typeof(ServerNameEvent))
                {
                    foreach (var property in info.Properties.Where(p => p.Name == "kind"))
                    {
                        property.Name = "nameKind";
                    }
                }
            }),
        };
        options.MakeReadOnly();
        return options;
    }
}
