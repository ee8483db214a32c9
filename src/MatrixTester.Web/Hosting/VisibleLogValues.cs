using MatrixTester.Diagnostics;
using Serilog.Core;
using Serilog.Events;

namespace MatrixTester.Web.Hosting;

/// <summary>
/// Every value a log event carries — a request path, a server name a visitor typed, a name or text from a server
/// under test — is written with its control characters escaped (<see cref="VisibleText"/>), whichever sink renders
/// it. A <c>%0A</c> in a path or an ESC in a server name then cannot start a forged log line or drive the terminal
/// that shows the log. Message templates are ours and stay as they are.
/// </summary>
public sealed class VisibleLogValues : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        List<LogEventProperty>? changed = null;
        foreach (var (name, value) in logEvent.Properties)
        {
            if (Visible(value) is { } escaped)
            {
                (changed ??= []).Add(new LogEventProperty(name, escaped));
            }
        }
        foreach (var property in changed ?? [])
        {
            logEvent.AddOrUpdateProperty(property);
        }
    }

    /// <summary>The value with its strings escaped, or null when nothing needed escaping.</summary>
    private static LogEventPropertyValue? Visible(LogEventPropertyValue value) => value switch
    {
        ScalarValue { Value: string text } when VisibleText.NeedsEscaping(text) => new ScalarValue(VisibleText.Escape(text)),
        SequenceValue sequence when sequence.Elements.Any(e => Visible(e) is not null) =>
            new SequenceValue(sequence.Elements.Select(e => Visible(e) ?? e)),
        StructureValue structure when structure.Properties.Any(p => Visible(p.Value) is not null) =>
            new StructureValue(structure.Properties.Select(p => new LogEventProperty(p.Name, Visible(p.Value) ?? p.Value)), structure.TypeTag),
        DictionaryValue dictionary when dictionary.Elements.Any(e => Visible(e.Key) is not null || Visible(e.Value) is not null) =>
            new DictionaryValue(dictionary.Elements.Select(e => new KeyValuePair<ScalarValue, LogEventPropertyValue>(
                (ScalarValue?)Visible(e.Key) ?? e.Key, Visible(e.Value) ?? e.Value))),
        _ => null,
    };
}
