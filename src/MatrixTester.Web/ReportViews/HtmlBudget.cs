namespace MatrixTester.Web.ReportViews;

/// <summary>
/// How much report text one page may show, in bytes of HTML. A report is at most <c>Diagnosis:MaxReportBytes</c> of
/// JSON, but HTML-encoding makes a '&lt;' four bytes and a non-ASCII letter up to eight, and every field gets its own
/// markup; so the parts of a page that grow with the report (the findings and the technical details) each spend
/// from a budget, and what does not fit is left to the JSON, with a line saying so.
/// </summary>
public sealed class HtmlBudget(int bytes)
{
    /// <summary>The technical details (discovery, each address, two-way, client discovery) of one page, together.</summary>
    public const int DetailBytes = 256 * 1024;

    /// <summary>The findings of one page, together.</summary>
    public const int FindingBytes = 128 * 1024;

    /// <summary>The markup around one value in a detail tree or one finding, beyond its text.</summary>
    public const int MarkupBytes = 64;

    private int _left = bytes;

    public bool Exhausted => _left <= 0;

    /// <summary>Spends what <paramref name="texts"/> cost as HTML (plus their markup); false, spending nothing, when they do not fit.</summary>
    public bool TrySpend(params ReadOnlySpan<string?> texts)
    {
        var cost = MarkupBytes;
        foreach (var text in texts)
        {
            cost += Cost(text);
        }
        if (cost > _left)
        {
            _left = 0;
            return false;
        }
        _left -= cost;
        return true;
    }

    /// <summary>The most bytes <paramref name="text"/> can take once HTML-encoded (Razor encodes non-ASCII as character references).</summary>
    public static int Cost(string? text)
    {
        var cost = 0;
        foreach (var c in text ?? "")
        {
            cost += c switch
            {
                '<' or '>' => 4,
                '&' => 5,
                '"' or '\'' or '+' => 6,
                < (char)0x80 => 1,
                _ => 8,
            };
        }
        return cost;
    }
}
