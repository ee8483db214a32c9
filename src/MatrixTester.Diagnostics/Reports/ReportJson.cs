using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MatrixTester.Diagnostics.Reports;

/// <summary>JSON settings for our own (v2) report and event stream: camelCase, enums as strings, durations in milliseconds.</summary>
public static class ReportJson
{
    public static JsonSerializerOptions Options { get; } = Create(indented: false);

    public static JsonSerializerOptions Indented { get; } = Create(indented: true);

    /// <summary>
    /// A stored v2 report read back as the engine's model: the one way every reader (pages, diffs, feeds, alerts) gets
    /// it. Reports stored by older versions read too (fields added since are absent, and their readers allow that);
    /// null when the text is not such a report.
    /// </summary>
    public static DiagnosisReport? Read(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return JsonSerializer.Deserialize<DiagnosisReport>(json, Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static JsonSerializerOptions Create(bool indented)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = indented,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            // Raw UTF-8 and no \u escapes for <, >, &, ' or non-ASCII: escaping them for HTML made every '<' a
            // server sent cost six bytes in a stored report. This JSON is served as application/json with nosniff
            // and is never pasted into a page; pages render report fields through Razor, which HTML-encodes them,
            // and the live page inserts streamed text with textContent. JSON ever embedded in HTML must be escaped
            // there, for that context. (Control characters, quotes and backslashes are still escaped: JSON needs it.)
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            MaxDepth = 64,
        };
        options.Converters.Add(new MillisecondsConverter());
        options.Converters.Add(new JsonStringEnumConverter());
        options.Converters.Add(new DnsLookup.IPAddressJsonConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>Durations as a number of milliseconds (0.1 ms resolution): easier for scripts and charts than "00:00:00.0123".</summary>
    private sealed class MillisecondsConverter : JsonConverter<TimeSpan>
    {
        public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            TimeSpan.FromMilliseconds(reader.GetDouble());

        public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
            writer.WriteNumberValue(Math.Round(value.TotalMilliseconds, 1));
    }
}
