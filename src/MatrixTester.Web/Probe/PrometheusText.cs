using System.Globalization;
using System.Text;
using MatrixTester.Diagnostics;

namespace MatrixTester.Web.Probe;

/// <summary>One sample of a metric family: its value and labels (name, value), in the order given.</summary>
public sealed record Sample(double Value, params (string Name, string Value)[] Labels);

/// <summary>
/// The Prometheus text exposition format, version 0.0.4: a HELP and a TYPE line per family, then its samples.
/// Label values are escaped as the format requires (backslash, double quote, line feed); they may come from the
/// diagnosed server (a certificate's issuer name), so nothing is written unescaped, and control characters are shown.
/// </summary>
public sealed class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly StringBuilder _text = new();

    /// <summary>A gauge family; written only when it has samples (an absent series is clearer than a made-up value).</summary>
    public PrometheusText Gauge(string name, string help, IEnumerable<Sample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var list = samples.ToList();
        if (list.Count == 0)
        {
            return this;
        }
        _text.Append("# HELP ").Append(name).Append(' ').Append(help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)).Append('\n');
        _text.Append("# TYPE ").Append(name).Append(" gauge\n");
        foreach (var sample in list)
        {
            _text.Append(name);
            if (sample.Labels.Length > 0)
            {
                _text.Append('{').AppendJoin(',', sample.Labels.Select(l => $"{l.Name}=\"{Escape(l.Value)}\"")).Append('}');
            }
            _text.Append(' ').Append(Number(sample.Value)).Append('\n');
        }
        return this;
    }

    public PrometheusText Gauge(string name, string help, double value) => Gauge(name, help, [new Sample(value)]);

    public override string ToString() => _text.ToString();

    /// <summary>
    /// Control characters first become visible escapes (a CR or an ESC from a certificate would otherwise reach a
    /// dashboard or a terminal as they are), then the format's own escaping applies to the backslashes and quotes.
    /// </summary>
    internal static string Escape(string value) =>
        VisibleText.Escape(value).Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);

    /// <summary>Shortest round-trip form, invariant culture: 1, 0.0123, 1798761600.</summary>
    internal static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
