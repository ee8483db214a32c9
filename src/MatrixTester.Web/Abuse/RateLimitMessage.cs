namespace MatrixTester.Web.Abuse;

/// <summary>
/// What a rate-limited endpoint tells the client it refused (endpoint metadata beside its rate-limit policy). The
/// endpoint policies (watches, federation) share one rejection handler; the diagnosis limit is charged at admission
/// and says its own words.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class RateLimitMessageAttribute(string title, string text) : Attribute
{
    public string Title { get; } = title;

    public string Text { get; } = text;
}
