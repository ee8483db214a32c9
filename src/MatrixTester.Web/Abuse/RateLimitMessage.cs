namespace MatrixTester.Web.Abuse;

/// <summary>
/// What a rate-limited endpoint tells the client it refused (endpoint metadata beside its rate-limit policy). The
/// site has one rate limiter and one rejection handler; an endpoint without this says the diagnosis limit's words.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class RateLimitMessageAttribute(string title, string text) : Attribute
{
    public string Title { get; } = title;

    public string Text { get; } = text;
}
