using System.Text.Json.Serialization;

namespace MatrixTester.Diagnostics.Client;

/// <summary>How a response answered a cross-origin request (<c>Access-Control-Allow-Origin</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CorsOutcome>))]
public enum CorsOutcome
{
    /// <summary>Exactly one <c>Access-Control-Allow-Origin: *</c>.</summary>
    Ok,
    /// <summary>No <c>Access-Control-Allow-Origin</c>: browsers do not let web clients read the answer.</summary>
    Missing,
    /// <summary>The header twice, or two values in one: browsers reject the answer.</summary>
    Duplicated,
    /// <summary>One value that names a single origin: web clients elsewhere are blocked.</summary>
    SingleOrigin,
    /// <summary>Not checked (no answer to check).</summary>
    NotChecked,
}
